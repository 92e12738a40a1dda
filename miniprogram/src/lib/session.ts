import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { call, token } from './api'

export type Profile = { hasIdentity: boolean; identityVerified: boolean; identityLevel: string; realName?: string; idNumberMasked?: string; phoneMasked?: string }

/** Open the login page (and come back to `back` afterwards). */
export function needLogin(back: string) {
  Taro.redirectTo({ url: '/pages/login/index?back=' + encodeURIComponent(back) })
}

/** The resident's profile when logged in (null while loading or logged out). */
export function useProfile(): { profile: Profile | null; loggedIn: boolean; reload: () => void } {
  const [profile, setProfile] = useState<Profile | null>(null)
  const [loggedIn, setLoggedIn] = useState(!!token())
  const reload = () => {
    const has = !!token()
    setLoggedIn(has)
    if (!has) {
      setProfile(null)
      return
    }
    call<Profile>('GET', '/mp/v1/me', undefined, { quiet401: true })
      .then(setProfile)
      .catch(() => {
        setLoggedIn(!!token())
      })
  }
  useDidShow(reload)
  return { profile, loggedIn, reload }
}
