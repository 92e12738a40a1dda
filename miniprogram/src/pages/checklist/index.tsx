import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { Screen, Btn, Choice, Problem, Note, VillagePicker, type Village } from '../../components/ui'
import { call } from '../../lib/api'
import * as L from '../../lib/labels'

type Item = { code: string; name: string; note: string; why: string; provide: string; provideLabel: string }

// The one-time list before applying: what to bring, what the government fetches itself (免证明)
// and where a written pledge (告知承诺) may replace a certificate. No login, nothing saved.
export default function ChecklistPreview() {
  const [village, setVillage] = useState<Village | null>(null)
  const [cat, setCat] = useState('minimum_living')
  const [agent, setAgent] = useState('self')
  const [healthV, setHealth] = useState('')
  const [dis, setDis] = useState('')
  const [grade, setGrade] = useState('1')
  const [err, setErr] = useState<unknown>(null)
  const [res, setRes] = useState<{ notice: string; items: Item[] } | null>(null)
  const show = async () => {
    setErr(null)
    if (!village) return
    try {
      setRes(await call('POST', '/mp/v1/checklist/preview', {
        villageCode: village.code, categories: [cat], byAgent: agent === 'agent',
        members: [{ relation: 'self', adult: true, health: healthV, disabilityKind: dis, disabilityGrade: dis ? Number(grade) : 0 }],
      }, { auth: false }))
    } catch (e) {
      setErr(e)
    }
  }
  const need = (res?.items || []).filter((i) => i.provide !== 'shared')
  const shared = (res?.items || []).filter((i) => i.provide === 'shared')
  return (
    <Screen title='申请前材料清单'>
      <VillagePicker value={village} onChange={setVillage} />
      <Choice label='申请哪一项' options={L.categories} value={cat} onChange={setCat} />
      <Choice label='谁来办' options={[{ value: 'self', label: '本人申请' }, { value: 'agent', label: '替家人申请' }]} value={agent} onChange={setAgent} />
      <Choice label='健康状况' options={L.health} value={healthV} onChange={setHealth} />
      <Choice label='残疾情况' options={L.disabilityKinds} value={dis} onChange={setDis} />
      {dis ? <Choice label='残疾等级' options={L.disabilityGrades} value={grade} onChange={setGrade} /> : null}
      <Btn onClick={show} disabled={!village}>看看要准备什么</Btn>
      <Problem error={err} />
      {res ? (
        <View>
          <Note><Text>{res.notice}</Text></Note>
          <Text className='card-title'>需要您准备的（{need.length}项）</Text>
          {need.map((i) => (
            <View key={i.code} className='card'>
              <Text className='card-title'>{i.name}</Text>
              <Text>{i.note}</Text>
              <Text className='muted'>为什么要：{i.why}</Text>
              {i.provide === 'commitment_allowed' ? <Text className='tag ok'>可以签承诺书代替</Text> : null}
            </View>
          ))}
          <Text className='card-title'>不用您提供的（{shared.length}项，政府部门共享获取）</Text>
          {shared.map((i) => (
            <View key={i.code + i.why} className='card'>
              <Text>{i.name}：{i.provideLabel}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </Screen>
  )
}
