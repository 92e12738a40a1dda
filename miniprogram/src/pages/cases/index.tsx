import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Screen, Btn, Problem, Card, day, go } from '../../components/ui'
import { call, token } from '../../lib/api'

type Summary = { id: string; caseNo: string; status: string; statusLabel: string; categories: { label: string }[]; areaName: string; submittedAt: string }

export default function Cases() {
  const [items, setItems] = useState<Summary[] | null>(null)
  const [err, setErr] = useState<unknown>(null)
  useDidShow(async () => {
    if (!token()) {
      Taro.redirectTo({ url: '/pages/login/index?back=' + encodeURIComponent('/pages/cases/index') })
      return
    }
    try {
      setItems((await call<{ items: Summary[] }>('GET', '/mp/v1/cases')).items)
    } catch (e) {
      setErr(e)
    }
  })
  return (
    <Screen title='我的申请'>
      <Problem error={err} />
      {items && items.length === 0 ? <Text>还没有申请。</Text> : null}
      {(items || []).map((c) => (
        <Card key={c.id} title={c.categories.map((x) => x.label).join('、')} onClick={() => go(c.status === 'draft' ? '/pages/apply/index?id=' + c.id : '/pages/case/detail?id=' + c.id)}>
          <Text className={c.status === 'returned' ? 'tag bad' : 'tag'}>{c.statusLabel}</Text>
          <Text className='muted'>{c.areaName}　{day(c.submittedAt)}</Text>
          <View className='link'>{c.status === 'draft' ? '接着填写' : '查看进度'}</View>
        </Card>
      ))}
      <Btn onClick={() => go('/pages/apply/index')}>新的申请</Btn>
    </Screen>
  )
}
