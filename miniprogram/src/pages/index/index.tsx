import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { Screen, Btn, Note, go } from '../../components/ui'
import { useProfile } from '../../lib/session'
import { call, setToken } from '../../lib/api'
import { identityLevel } from '../../lib/labels'

export default function Index() {
  const { profile, loggedIn, reload } = useProfile()
  const [unread, setUnread] = useState(0)
  useDidShow(() => {
    if (loggedIn) call<{ unread: number }>('GET', '/mp/v1/messages/unread-count', undefined, { quiet401: true }).then((r) => setUnread(r.unread)).catch(() => {})
  })
  const logout = async () => {
    await call('POST', '/mp/v1/auth/logout').catch(() => {})
    setToken('')
    reload()
  }
  return (
    <Screen title='掌上救助'>
      <Note>
        <Text>生活遇到困难，可以在这里了解政策、自助测算、申请低保、特困供养和临时救助，也可以替家里的老人申请。</Text>
      </Note>
      {loggedIn && profile ? (
        <View className='card'>
          <Text className='card-title'>{profile.realName ? `您好，${profile.realName}` : '您好'}</Text>
          <Text className='muted'>身份：{identityLevel[profile.identityLevel] ?? ''}</Text>
          {!profile.hasIdentity ? <Btn onClick={() => go('/pages/identity/index')}>第一步：登记真实姓名和身份证号</Btn> : null}
        </View>
      ) : null}
      <Btn kind='default' onClick={() => go('/pages/policy/index')}>政策指南：哪些情况可以申请</Btn>
      <Btn kind='default' onClick={() => go('/pages/selfcheck/index')}>自助测算（不用登录）</Btn>
      <Btn kind='default' onClick={() => go('/pages/checklist/index')}>申请前看看要准备哪些材料</Btn>
      <Btn kind='default' onClick={() => go('/pages/notices/index')}>村里的公示名单</Btn>
      {loggedIn ? (
        <View>
          <Btn onClick={() => go('/pages/apply/index')}>我要申请（可替家人申请）</Btn>
          <Btn kind='default' onClick={() => go('/pages/cases/index')}>我的申请和办理进度</Btn>
          <Btn kind='default' onClick={() => go('/pages/messages/index')}>{unread > 0 ? `消息（${unread}条未读）` : '消息'}</Btn>
          <Btn kind='default' onClick={() => go('/pages/identity/index')}>实名登记</Btn>
          <Btn kind='default' onClick={() => go('/pages/me/index')}>我的：手机号、投诉、个人信息</Btn>
          <View className='link' onClick={logout}>退出登录</View>
        </View>
      ) : (
        <Btn onClick={() => go('/pages/login/index')}>登录后申请或查看进度</Btn>
      )}
    </Screen>
  )
}
