import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Screen, Btn, Problem, day, go } from '../../components/ui'
import { call, token } from '../../lib/api'

type Message = { id: number; title: string; body: string; caseId?: string; at: string; read: boolean }

export default function Messages() {
  const [list, setList] = useState<{ items: Message[]; unread: number } | null>(null)
  const [err, setErr] = useState<unknown>(null)
  const load = async () => {
    if (!token()) {
      Taro.redirectTo({ url: '/pages/login/index?back=' + encodeURIComponent('/pages/messages/index') })
      return
    }
    try {
      setList(await call('GET', '/mp/v1/messages'))
    } catch (e) {
      setErr(e)
    }
  }
  useDidShow(load)
  const open = async (m: Message) => {
    if (!m.read) await call('POST', `/mp/v1/messages/${m.id}/read`).catch(() => {})
    if (m.caseId) go('/pages/case/detail?id=' + m.caseId)
    else load()
  }
  return (
    <Screen title='消息'>
      <Problem error={err} retry={load} />
      {list && list.unread > 0 ? <Btn kind='default' onClick={async () => { await call('POST', '/mp/v1/messages/read-all').catch(() => {}); load() }}>全部标为已读</Btn> : null}
      {list && list.items.length === 0 ? <Text>没有消息。</Text> : null}
      {(list?.items || []).map((m) => (
        <View key={m.id} className='card' onClick={() => open(m)}>
          <Text className='card-title'>{m.read ? '' : '● '}{m.title}</Text>
          <Text>{m.body}</Text>
          <Text className='muted'>{day(m.at)}</Text>
        </View>
      ))}
    </Screen>
  )
}
