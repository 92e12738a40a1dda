import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { Screen, Btn, Choice, Field, Problem, Note, VillagePicker, yuan, type Village } from '../../components/ui'
import { call } from '../../lib/api'
import * as L from '../../lib/labels'
import { yuanToCents } from '../../lib/rules'

type Result = { category: string; label: string; status: string; statusLabel: string; amountCents?: number; period?: string; member?: number; reasons: { outcome: string; text: string }[] }

// The self-check needs no login and saves nothing: the answers stay on this screen.
export default function SelfCheck() {
  const [village, setVillage] = useState<Village | null>(null)
  const [residence, setResidence] = useState('rural')
  const [birth, setBirth] = useState('')
  const [healthV, setHealth] = useState('')
  const [dis, setDis] = useState('')
  const [grade, setGrade] = useState('')
  const [work, setWork] = useState('')
  const [people, setPeople] = useState('1')
  const [income, setIncome] = useState('')
  const [deposit, setDeposit] = useState('')
  const [err, setErr] = useState<unknown>(null)
  const [problem, setProblem] = useState('')
  const [res, setRes] = useState<{ notice: string; results: Result[]; monthlyIncomeCents: number; householdSize: number } | null>(null)

  const check = async () => {
    setErr(null)
    setRes(null)
    const inc = income.trim() === '' ? 0 : yuanToCents(income)
    const dep = deposit.trim() === '' ? 0 : yuanToCents(deposit)
    const n = Number(people)
    if (!village) return setProblem('请先选择所在村（社区）')
    if (!/^\d{4}-\d{2}-\d{2}$/.test(birth.trim())) return setProblem('请按“1948-06-12”的样子填写出生日期')
    if (inc === null || dep === null) return setProblem('金额请填数字，例如 150 或 150.5')
    if (!(n >= 1 && n <= 10)) return setProblem('家庭人口请填 1 到 10')
    setProblem('')
    const members: any[] = [{ relation: 'self', birthDate: birth.trim(), health: healthV, workAbility: work, disabilityKind: dis, disabilityGrade: dis ? Number(grade || 0) : 0 }]
    for (let i = 1; i < n; i++) members.push({ relation: 'other', birthDate: '1980-01-01', health: 'healthy', workAbility: 'full' })
    try {
      setRes(await call('POST', '/mp/v1/eligibility/check', {
        villageCode: village.code,
        household: { residence, members, income: inc ? [{ member: 0, kind: 'other', monthlyCents: inc }] : [], assets: { depositCents: dep } },
      }, { auth: false }))
    } catch (e) {
      setErr(e)
    }
  }
  return (
    <Screen title='自助测算'>
      <Note><Text>不用登录，不会保存。测算结果仅供参考，以乡镇（街道）审核为准。</Text></Note>
      <VillagePicker value={village} onChange={setVillage} />
      <Choice label='住在' options={L.residence} value={residence} onChange={setResidence} />
      <Field label='要申请的人的出生日期' value={birth} onChange={setBirth} placeholder='例如：1948-06-12' />
      <Choice label='健康状况' options={L.health} value={healthV} onChange={setHealth} />
      <Choice label='残疾情况' options={L.disabilityKinds} value={dis} onChange={setDis} />
      {dis ? <Choice label='残疾等级' options={L.disabilityGrades} value={grade} onChange={setGrade} /> : null}
      <Choice label='劳动能力' options={L.workAbility} value={work} onChange={setWork} />
      <Field label='家里一起生活的共有几口人' value={people} onChange={setPeople} type='number' />
      <Field label='全家每月收入合计（元）' value={income} onChange={setIncome} type='digit' placeholder='没有收入填 0' />
      <Field label='全家存款（元）' value={deposit} onChange={setDeposit} type='digit' placeholder='没有填 0' />
      {problem ? <Text className='field-hint bad'>{problem}</Text> : null}
      <Btn onClick={check}>开始测算</Btn>
      <Problem error={err} />
      {res ? (
        <View>
          <Note><Text>{res.notice}</Text></Note>
          {res.results.map((r, i) => (
            <View key={i} className='card'>
              <Text className='card-title'>{r.label}：{r.statusLabel}</Text>
              {r.amountCents ? <Text>大约 {yuan(r.amountCents)}{r.period === 'monthly' ? '每月' : ''}</Text> : null}
              {r.reasons.map((x, j) => (
                <Text key={j} className='muted'>· {x.text}</Text>
              ))}
            </View>
          ))}
        </View>
      ) : null}
    </Screen>
  )
}
