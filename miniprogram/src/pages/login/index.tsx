import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text } from '@tarojs/components'
import { Screen, Btn, Field, Problem, Note } from '../../components/ui'
import { call, setToken } from '../../lib/api'

// WeChat login: wx.login gives a one-time code, the backend exchanges it and returns its own session.
// The H5 build (a browser, no WeChat) logs in through the backend's WeChat simulator: the code
// "dev:<name>" stands for one WeChat user (accepted only by a server running the simulator).
export default function Login() {
  const router = useRouter()
  const back = router.params.back ? decodeURIComponent(router.params.back) : ''
  const expired = router.params.expired === '1'
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState<unknown>(null)

  const finish = async (code: string) => {
    setErr(null)
    setBusy(true)
    try {
      const r = await call<{ token: string }>('POST', '/mp/v1/auth/login', { code }, { auth: false })
      setToken(r.token)
      if (back) Taro.redirectTo({ url: back })
      else Taro.reLaunch({ url: '/pages/index/index' })
    } catch (e) {
      setErr(e)
    } finally {
      setBusy(false)
    }
  }
  const wechat = async () => {
    try {
      const { code } = await Taro.login()
      await finish(code)
    } catch (e) {
      setErr(e)
    }
  }
  return (
    <Screen title='登录'>
      {expired ? <Note kind='warn'><Text>登录已过期，请重新登录。已保存的申请不会丢失。</Text></Note> : null}
      {process.env.TARO_ENV === 'weapp' ? (
        <Btn onClick={wechat} loading={busy}>微信一键登录</Btn>
      ) : (
        <>
          <Note><Text>网页测试版：用测试微信号登录（仅连接测试服务器时可用）。</Text></Note>
          <Field label='测试微信号' value={name} onChange={setName} placeholder='例如：xiaohong' />
          <Btn onClick={() => finish('dev:' + name.trim())} disabled={name.trim() === ''} loading={busy}>模拟微信登录</Btn>
        </>
      )}
      <Problem error={err} />
    </Screen>
  )
}
