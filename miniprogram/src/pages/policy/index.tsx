import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { Screen, Btn, Problem, VillagePicker, go, day, type Village } from '../../components/ui'
import { call } from '../../lib/api'

type Policy = { areaName: string; date: string; categories: { category: string; label: string; unit: string; conditions: string[]; support: string; decider: string }[] }

export default function PolicyGuide() {
  const [village, setVillage] = useState<Village | null>(null)
  const [policy, setPolicy] = useState<Policy | null>(null)
  const [err, setErr] = useState<unknown>(null)
  const pick = async (v: Village) => {
    setVillage(v)
    setPolicy(null)
    setErr(null)
    if (!v) return
    try {
      setPolicy(await call('GET', '/mp/v1/policy?village=' + v.code, undefined, { auth: false }))
    } catch (e) {
      setErr(e)
    }
  }
  return (
    <Screen title='政策指南'>
      <VillagePicker value={village} onChange={pick} />
      <Problem error={err} />
      {policy ? (
        <View>
          <Text className='muted'>{policy.areaName}　{day(policy.date)}执行的标准</Text>
          {policy.categories.map((c) => (
            <View key={c.category} className='card'>
              <Text className='card-title'>{c.label}（{c.unit}）</Text>
              <Text>申请条件：</Text>
              {c.conditions.map((t, i) => (
                <Text key={i}>{i + 1}. {t}</Text>
              ))}
              <Text>能得到什么：{c.support}</Text>
              <Text className='muted'>由{c.decider}审核确认</Text>
            </View>
          ))}
          <Btn kind='default' onClick={() => go('/pages/selfcheck/index')}>按我家的情况测算一下</Btn>
        </View>
      ) : null}
    </Screen>
  )
}
