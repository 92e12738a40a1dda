import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Screen, Btn, Choice, Field, Tick, Problem, Note, Card, VillagePicker, type Village } from '../../components/ui'
import { Uploader } from '../../components/upload'
import { ApiError, call, token } from '../../lib/api'
import * as L from '../../lib/labels'
import { centsToYuan, idNumberProblem, newKey, plainHint, stepOfGap, yuanToCents } from '../../lib/rules'
import { blankMember, incomeAmount, memberProblem, removeMember, supporterProblem, type Facts } from '../../lib/forms'
import { forget, keep, kept } from '../../lib/store'
import { askSubscribe } from '../../lib/subscribe'

// The application as a guided draft: one task per screen, saved on the server at every step
// (resumable from “我的申请”), typed text also kept on the device until it is saved, and every
// remaining gap named before submission.

type Item = { id: number; code: string; name: string; note: string; why: string; provide: string; status: string; rejectReason?: string; documents: { id: number; fileName: string }[] }
type Consent = { id: number; subject: string; position: number; who: string; state: string; invited: boolean }
type CaseView = { id: string; status: string; version: number; categories: { code: string; label: string }[]; application: { byAgent: boolean; isApplicant: boolean; facts: Facts; gaps: Record<string, string>; consents: Consent[]; checklist: Item[]; canSubmit: boolean } }

const STEPS: { key: string; label: string }[] = [
  { key: 'start', label: '申请对象' },
  { key: 'members', label: '家庭成员' },
  { key: 'health', label: '健康和残疾' },
  { key: 'work', label: '劳动和就业' },
  { key: 'income', label: '收入' },
  { key: 'assets', label: '财产' },
  { key: 'supporters', label: '赡养人' },
  { key: 'documents', label: '材料和确认' },
  { key: 'submit', label: '检查并提交' },
]


export default function Apply() {
  const router = useRouter()
  const caseId = router.params.id || ''
  const [view, setView] = useState<CaseView | null>(null)
  const [facts, setFacts] = useState<Facts | null>(null)
  const [cats, setCats] = useState<string[]>(['minimum_living'])
  const [reason, setReason] = useState('')
  const [step, setStep] = useState('start')
  const [err, setErr] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [dirty, setDirty] = useState(false)
  const [restored, setRestored] = useState(false)

  // start (new draft only)
  const [who, setWho] = useState('agent')
  const [agentRel, setAgentRel] = useState('child')
  const [village, setVillage] = useState<Village | null>(null)
  const [address, setAddress] = useState('')
  const [pName, setPName] = useState('')
  const [pId, setPId] = useState('')
  const [hint, setHint] = useState('')

  const load = async (id: string) => {
    setErr(null)
    try {
      const v = await call<CaseView>('GET', '/mp/v1/cases/' + id)
      if (v.status !== 'draft') {
        Taro.redirectTo({ url: '/pages/case/detail?id=' + id })
        return
      }
      apply(v)
      const k = kept<{ facts: Facts; cats: string[]; reason: string; step: string; version: number }>('draft.' + id)
      if (k && k.version === v.version) {
        setFacts(k.facts)
        setCats(k.cats)
        setReason(k.reason)
        setStep(k.step)
        setDirty(true)
        setRestored(true)
      } else if (k) {
        setStep(k.step)
      }
    } catch (e) {
      setErr(e)
    }
  }
  const apply = (v: CaseView) => {
    setView(v)
    setFacts(JSON.parse(JSON.stringify(v.application.facts)))
    setCats(v.categories.map((c) => c.code))
    setDirty(false)
  }
  useEffect(() => {
    if (!token()) {
      Taro.redirectTo({ url: '/pages/login/index?back=' + encodeURIComponent('/pages/apply/index' + (caseId ? '?id=' + caseId : '')) })
      return
    }
    if (caseId) load(caseId)
  }, [])

  // What was typed is kept on the device until the server has it.
  useEffect(() => {
    if (caseId && facts && view && dirty) keep('draft.' + caseId, { facts, cats, reason, step, version: view.version })
  }, [facts, cats, reason, dirty])
  useEffect(() => {
    if (caseId && view) {
      const k = kept<any>('draft.' + caseId)
      keep('draft.' + caseId, { ...(k || {}), facts: (k && k.facts) || facts, cats, reason, step, version: (k && k.version) || view.version })
    }
  }, [step])

  const edit = (f: (x: Facts) => void) => {
    if (!facts) return
    const c: Facts = JSON.parse(JSON.stringify(facts))
    f(c)
    setFacts(c)
    setDirty(true)
  }
  const steps = STEPS.filter((s) => s.key !== 'supporters' || cats.includes('extreme_hardship'))
  const idx = steps.findIndex((s) => s.key === step)
  const gaps = view ? view.application.gaps : {}
  const gapsOf = (k: string) => Object.entries(gaps).filter(([key]) => stepOfGap(key) === k).map(([, h]) => plainHint(h))

  const create = async () => {
    setErr(null)
    const problem = !village ? '请选择所在村（社区）' : pName.trim() === '' ? '请填写申请救助的人的姓名' : idNumberProblem(pId) || (cats.length === 0 ? '请至少选择一项救助' : '')
    setHint(problem || '')
    if (problem) return
    setBusy(true)
    try {
      const v = await call<CaseView>('POST', '/mp/v1/drafts', {
        villageCode: village!.code, address: address.trim(), categories: cats, reason: reason.trim(),
        agentRelation: who === 'agent' ? agentRel : '',
        facts: { members: [blankMember('self', pName.trim(), pId.trim().toUpperCase())] },
      })
      // The draft's own address from now on (a lost session comes back to it).
      keep('draft.' + v.id, { step: 'members' })
      Taro.redirectTo({ url: '/pages/apply/index?id=' + v.id })
    } catch (e) {
      setErr(e)
    } finally {
      setBusy(false)
    }
  }

  /** Save the draft (when changed), then go to `next`. */
  const save = async (next?: string) => {
    setErr(null)
    if (!view || !facts) return
    if (!dirty) {
      if (next) setStep(next)
      return
    }
    setBusy(true)
    try {
      const v = await call<CaseView>('PUT', `/mp/v1/cases/${caseId}/draft`, { version: view.version, categories: cats, reason: reason.trim(), facts })
      apply(v)
      forget('draft.' + caseId)
      keep('draft.' + caseId, { step: next || step })
      setRestored(false)
      if (next) setStep(next)
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setErr(new ApiError(409, '', '这份申请刚在别处修改过，已为您刷新为最新内容，请再看一遍。'))
        forget('draft.' + caseId)
        load(caseId)
      } else setErr(e)
    } finally {
      setBusy(false)
    }
  }
  const refresh = async () => {
    const v = await call<CaseView>('GET', '/mp/v1/cases/' + caseId)
    if (!dirty) apply(v)
    else setView(v)
  }

  const nav = (
    <View>
      <Problem error={err} />
      {idx < steps.length - 1 ? <Btn onClick={() => save(steps[idx + 1].key)} loading={busy}>保存，下一步</Btn> : null}
      {idx > 1 ? <Btn kind='default' onClick={() => save(steps[idx - 1].key)}>保存，上一步</Btn> : null}
      {dirty ? <Text className='muted'>有未保存的修改，点“保存”后才会提交到服务器（已暂存在本机）。</Text> : <Text className='muted'>已保存。可以随时退出，稍后在“我的申请”里接着填写。</Text>}
    </View>
  )

  const header = (
    <View>
      <View className='steps'>
        {steps.map((s, i) => (
          <Text key={s.key} className={'step-dot' + (s.key === step ? ' on' : '') + (gapsOf(s.key).length ? ' gap' : '')} onClick={() => view && save(s.key)}>
            {i + 1}.{s.label}
          </Text>
        ))}
      </View>
      {restored ? <Note kind='warn'><Text>已恢复您上次没有保存的填写内容。</Text></Note> : null}
      {gapsOf(step).length && step !== 'submit' ? (
        <Note kind='warn'>
          <Text>这一步还缺：</Text>
          {gapsOf(step).map((g, i) => <Text key={i}>· {g}</Text>)}
        </Note>
      ) : null}
    </View>
  )

  // ---- step: who the application is for (creates the draft) ----
  if (!view || !facts) {
    if (caseId) return <Screen title='申请救助'><Problem error={err} retry={() => load(caseId)} /><Text>正在打开…</Text></Screen>
    return (
      <Screen title='申请救助'>
        <Text className='card-title'>第1步：为谁申请</Text>
        <Choice label='申请人' options={[{ value: 'agent', label: '替家人申请（如父母）' }, { value: 'self', label: '为我自己申请' }]} value={who} onChange={setWho} />
        {who === 'agent' ? <Choice label='您和他（她）的关系' options={L.agentRelations} value={agentRel} onChange={setAgentRel} /> : null}
        <Field label={who === 'agent' ? '申请救助的人（如母亲）的姓名' : '您的姓名'} value={pName} onChange={setPName} placeholder='与身份证上一致' />
        <Field label={who === 'agent' ? '他（她）的身份证号' : '您的身份证号'} value={pId} onChange={setPId} type='idcard' placeholder='18位身份证号' maxlength={18} />
        <VillagePicker value={village} onChange={setVillage} />
        <Field label='家庭住址' value={address} onChange={setAddress} placeholder='例如：孙庄村2组6号' />
        <View className='field'>
          <Text className='field-label'>申请哪些救助（可多选）</Text>
          {L.categories.map((c) => (
            <Tick key={c.value} label={c.label} value={cats.includes(c.value)} onChange={(on) => setCats(on ? [...cats, c.value] : cats.filter((x) => x !== c.value))} />
          ))}
        </View>
        <Field label='申请理由（可不填）' value={reason} onChange={setReason} placeholder='例如：母亲年老残疾，收入很低' multiline />
        {hint ? <Text className='field-hint bad'>{hint}</Text> : null}
        <Problem error={err} />
        <Btn onClick={create} loading={busy}>保存，下一步</Btn>
      </Screen>
    )
  }

  const names = facts.members.map((m, i) => ({ value: String(i), label: m.name || `成员${i + 1}` }))
  const app = view.application

  return (
    <Screen title='申请救助'>
      {header}
      {step === 'start' ? (
        <View>
          <Text className='card-title'>申请对象和救助类别</Text>
          <Card><Text>申请救助的人：{facts.members[0]?.name}（{facts.members[0]?.idNumber}）</Text></Card>
          <View className='field'>
            <Text className='field-label'>申请哪些救助（可多选）</Text>
            {L.categories.map((c) => (
              <Tick key={c.value} label={c.label} value={cats.includes(c.value)} onChange={(on) => { setCats(on ? [...cats, c.value] : cats.filter((x) => x !== c.value)); setDirty(true) }} />
            ))}
          </View>
          <Field label='申请理由（可不填）' value={reason} onChange={(v) => { setReason(v); setDirty(true) }} multiline />
        </View>
      ) : null}

      {step === 'members' ? <MembersStep facts={facts} edit={edit} byAgent={app.byAgent} /> : null}

      {step === 'health' ? (
        <View>
          <Text className='card-title'>每个人的健康和残疾情况</Text>
          {facts.members.map((m, i) => (
            <Card key={i} title={m.name}>
              <Choice label='健康状况' options={L.health} value={m.health} onChange={(v) => edit((f) => { f.members[i].health = v })} />
              {m.health === 'serious' ? <Field label='患的什么病' value={m.seriousIllness} onChange={(v) => edit((f) => { f.members[i].seriousIllness = v })} placeholder='例如：慢性肾衰竭' /> : null}
              <Choice label='残疾情况（以残疾证为准）' options={L.disabilityKinds} value={m.disabilityKind} onChange={(v) => edit((f) => { f.members[i].disabilityKind = v; if (!v) f.members[i].disabilityGrade = 0 })} />
              {m.disabilityKind ? <Choice label='残疾等级' options={L.disabilityGrades} value={m.disabilityGrade ? String(m.disabilityGrade) : ''} onChange={(v) => edit((f) => { f.members[i].disabilityGrade = Number(v) })} /> : null}
            </Card>
          ))}
        </View>
      ) : null}

      {step === 'work' ? (
        <View>
          <Text className='card-title'>每个人能不能劳动、做什么工作</Text>
          {facts.members.map((m, i) => (
            <Card key={i} title={m.name}>
              <Choice label='劳动能力' options={L.workAbility} value={m.workAbility} onChange={(v) => edit((f) => { f.members[i].workAbility = v })} />
              <Choice label='现在做什么' options={L.employment} value={m.employment} onChange={(v) => edit((f) => { f.members[i].employment = v })} />
            </Card>
          ))}
        </View>
      ) : null}

      {step === 'income' ? <IncomeStep facts={facts} edit={edit} names={names} /> : null}

      {step === 'assets' ? (
        <View>
          <Text className='card-title'>全家的财产</Text>
          <Note><Text>没有的填 0。工作人员会通过银行、不动产、车辆等信息核对，请如实填写。</Text></Note>
          <Money label='存款合计（元）' cents={facts.assets.depositCents} onChange={(c) => edit((f) => { f.assets.depositCents = c })} />
          <Money label='股票、基金、理财等（元）' cents={facts.assets.securitiesCents} onChange={(c) => edit((f) => { f.assets.securitiesCents = c })} />
          <Count label='住房（套）' n={facts.assets.housing} onChange={(n) => edit((f) => { f.assets.housing = n })} />
          <Count label='汽车（辆，残疾人代步车不算）' n={facts.assets.vehicles} onChange={(n) => edit((f) => { f.assets.vehicles = n })} />
          <Count label='经营的店铺、公司（个）' n={facts.assets.businesses} onChange={(n) => edit((f) => { f.assets.businesses = n })} />
          <Tick label='以上是全家财产的真实情况' value={facts.assets.declared} onChange={(v) => edit((f) => { f.assets.declared = v })} />
        </View>
      ) : null}

      {step === 'supporters' ? <SupportersStep facts={facts} edit={edit} names={names} /> : null}

      {step === 'documents' ? <DocumentsStep caseId={caseId} view={view} onChange={refresh} /> : null}

      {step === 'submit' ? <SubmitStep caseId={caseId} view={view} dirty={dirty} goTo={(k) => save(k)} onConflict={() => load(caseId)} /> : null}

      {step !== 'submit' ? nav : <Problem error={err} />}
    </Screen>
  )
}

function Money(props: { label: string; cents: number; onChange: (c: number) => void }) {
  const [text, setText] = useState(props.cents ? centsToYuan(props.cents) : '')
  const [bad, setBad] = useState('')
  return (
    <Field label={props.label} value={text} type='digit' hint={bad} onChange={(v) => {
      setText(v)
      const c = v.trim() === '' ? 0 : yuanToCents(v)
      if (c === null) setBad('请填数字，例如 3000 或 150.5')
      else {
        setBad('')
        props.onChange(c)
      }
    }} />
  )
}

function Count(props: { label: string; n: number; onChange: (n: number) => void }) {
  return <Choice label={props.label} options={['0', '1', '2', '3'].map((v) => ({ value: v, label: v === '3' ? '3个及以上' : v }))} value={String(Math.min(props.n, 3))} onChange={(v) => props.onChange(Number(v))} />
}

function MembersStep(props: { facts: Facts; edit: (f: (x: Facts) => void) => void; byAgent: boolean }) {
  const { facts, edit } = props
  const [rel, setRel] = useState('spouse')
  const [name, setName] = useState('')
  const [id, setId] = useState('')
  const [hint, setHint] = useState('')
  const add = () => {
    const p = memberProblem(facts, name, id)
    setHint(p || '')
    if (p) return
    edit((f) => { f.members.push(blankMember(rel, name.trim(), id.trim().toUpperCase())) })
    setName('')
    setId('')
  }
  return (
    <View>
      <Text className='card-title'>一起生活的家庭成员和户籍</Text>
      <Note><Text>{props.byAgent ? '第一位是申请救助的人。' : ''}请把共同生活的配偶、未成年子女等都填上；不在一起生活的子女不用填（申请特困时在“赡养人”里填）。</Text></Note>
      {facts.members.map((m, i) => (
        <Card key={i} title={`${i === 0 ? '申请救助的人' : L.labelOf(L.relations, m.relation)}：${m.name}`}>
          <Text className='muted'>身份证号：{m.idNumber}</Text>
          <Choice label='户籍' options={L.hukou} value={m.hukouType} onChange={(v) => edit((f) => { f.members[i].hukouType = v })} />
          {m.hukouType === 'elsewhere' ? <Field label='户口在哪里' value={m.hukouPlace} onChange={(v) => edit((f) => { f.members[i].hukouPlace = v })} /> : null}
          {i > 0 ? <View className='link' role='button' aria-label={'删除家庭成员' + m.name} onClick={() => edit((f) => removeMember(f, i))}>删除这位成员</View> : null}
        </Card>
      ))}
      <Card title='添加一位家庭成员'>
        <Choice label='和申请救助的人的关系' options={L.relations} value={rel} onChange={setRel} />
        <Field label='姓名' value={name} onChange={setName} />
        <Field label='身份证号' value={id} onChange={setId} type='idcard' maxlength={18} hint={hint} />
        <Btn kind='default' onClick={add}>添加</Btn>
      </Card>
    </View>
  )
}

function IncomeStep(props: { facts: Facts; edit: (f: (x: Facts) => void) => void; names: { value: string; label: string }[] }) {
  const { facts, edit, names } = props
  const [who, setWho] = useState('0')
  const [kind, setKind] = useState('pension')
  const [period, setPeriod] = useState('monthly')
  const [amount, setAmount] = useState('')
  const [source, setSource] = useState('')
  const [hint, setHint] = useState('')
  const add = () => {
    const a = incomeAmount(amount)
    if ('error' in a) return setHint(a.error)
    setHint('')
    edit((f) => { f.income.push({ member: Number(who), kind, amountCents: a.cents, period, source: source.trim() }); f.noIncome = false })
    setAmount('')
    setSource('')
  }
  return (
    <View>
      <Text className='card-title'>收入</Text>
      <Choice label='家住在' options={L.residence} value={facts.residence} onChange={(v) => edit((f) => { f.residence = v })} />
      {facts.income.map((x, i) => (
        <Card key={i}>
          <Text>{names[x.member]?.label}：{L.labelOf(L.incomeKinds, x.kind)} {L.labelOf(L.periods, x.period)} {centsToYuan(x.amountCents)}元 {x.source}</Text>
          <View className='link' onClick={() => edit((f) => { f.income.splice(i, 1) })}>删除</View>
        </Card>
      ))}
      {facts.income.length === 0 ? <Tick label='全家都没有任何收入' value={facts.noIncome} onChange={(v) => edit((f) => { f.noIncome = v })} /> : null}
      {!facts.noIncome ? (
        <Card title='添加一项收入'>
          <Choice label='谁的收入' options={names} value={who} onChange={setWho} />
          <Choice label='什么收入' options={L.incomeKinds} value={kind} onChange={setKind} />
          <Choice label='按月还是按年' options={L.periods} value={period} onChange={setPeriod} />
          <Field label='金额（元）' value={amount} onChange={setAmount} type='digit' hint={hint} placeholder='例如：1800' />
          <Field label='谁发的（可不填）' value={source} onChange={setSource} placeholder='例如：城乡居民养老保险' />
          <Btn kind='default' onClick={add}>添加这项收入</Btn>
        </Card>
      ) : null}
    </View>
  )
}

function SupportersStep(props: { facts: Facts; edit: (f: (x: Facts) => void) => void; names: { value: string; label: string }[] }) {
  const { facts, edit, names } = props
  const [forM, setFor] = useState('0')
  const [rel, setRel] = useState('child')
  const [name, setName] = useState('')
  const [id, setId] = useState('')
  const [ability, setAbility] = useState('able')
  const [hint, setHint] = useState('')
  const add = () => {
    const p = supporterProblem(facts, name, id)
    setHint(p || '')
    if (p) return
    edit((f) => { f.supporters.push({ forMember: Number(forM), relation: rel, name: name.trim(), idNumber: id.trim().toUpperCase(), ability }); f.noSupporters = false })
    setName('')
    setId('')
  }
  return (
    <View>
      <Text className='card-title'>赡养人（申请特困供养需要）</Text>
      <Note><Text>不在一起生活、依法有赡养（抚养、扶养）义务的人，例如在外地的子女。</Text></Note>
      {facts.supporters.map((s, i) => (
        <Card key={i}>
          <Text>{s.name}（{names[s.forMember]?.label}的{L.labelOf(L.relations, s.relation)}）：{L.labelOf(L.supporterAbility, s.ability)}</Text>
          <View className='link' onClick={() => edit((f) => { f.supporters.splice(i, 1) })}>删除</View>
        </Card>
      ))}
      {facts.supporters.length === 0 ? <Tick label='没有赡养人' value={facts.noSupporters} onChange={(v) => edit((f) => { f.noSupporters = v })} /> : null}
      {!facts.noSupporters ? (
        <Card title='添加赡养人'>
          <Choice label='是谁的赡养人' options={names} value={forM} onChange={setFor} />
          <Choice label='关系' options={L.relations} value={rel} onChange={setRel} />
          <Field label='姓名' value={name} onChange={setName} />
          <Field label='身份证号' value={id} onChange={setId} type='idcard' maxlength={18} hint={hint} />
          <Choice label='赡养能力' options={L.supporterAbility} value={ability} onChange={setAbility} />
          <Btn kind='default' onClick={add}>添加</Btn>
        </Card>
      ) : null}
    </View>
  )
}

function DocumentsStep(props: { caseId: string; view: CaseView; onChange: () => void | Promise<void> }) {
  const app = props.view.application
  const [err, setErr] = useState<unknown>(null)
  const [invite, setInvite] = useState<{ who: string; path: string; expiresAt: string } | null>(null)
  useShareAppMessage(() => ({ title: '请确认家人代您提出的救助申请', path: invite ? '/' + invite.path : '/pages/index/index' }))
  const act = async (f: () => Promise<void>) => {
    setErr(null)
    try {
      await f()
      props.onChange()
    } catch (e) {
      setErr(e)
    }
  }
  const needs = app.checklist.filter((i) => i.provide !== 'shared')
  const shared = app.checklist.filter((i) => i.provide === 'shared')
  const shareUrl = (path: string) => process.env.TARO_ENV === 'h5' ? `${location.origin}${location.pathname}#/${path}` : path
  return (
    <View>
      <Text className='card-title'>材料（一次告知）</Text>
      {needs.map((i) => (
        <Card key={i.id} title={i.name}>
          <Text className='muted'>{i.note}</Text>
          {i.why ? <Text className='muted'>为什么要：{i.why}</Text> : null}
          <Text className={i.status === 'rejected' || i.status === 'missing' ? 'tag bad' : 'tag ok'}>{L.itemStatus[i.status] ?? ''}</Text>
          {i.rejectReason ? <Text className='bad'>未通过的原因：{i.rejectReason}</Text> : null}
          {i.documents.map((d) => <Text key={d.id} className='muted'>已上传：{d.fileName}</Text>)}
          {['missing', 'rejected', 'provided'].includes(i.status) && !['agent_authorization', 'asset_declaration'].includes(i.code) ? (
            <Uploader caseId={props.caseId} itemId={i.id} itemName={i.name} onDone={props.onChange} />
          ) : null}
          {['agent_authorization', 'asset_declaration'].includes(i.code) && i.status === 'missing' ? <Text className='muted'>家人在下面用自己的微信确认后，这一项自动完成；也可以上传签字的纸质材料。</Text> : null}
          {['agent_authorization', 'asset_declaration'].includes(i.code) && i.status === 'missing' ? <Uploader caseId={props.caseId} itemId={i.id} itemName={i.name} onDone={props.onChange} /> : null}
          {i.provide === 'commitment_allowed' && i.status === 'missing' ? (
            <Btn kind='default' onClick={() => act(() => call('POST', `/mp/v1/cases/${props.caseId}/items/${i.id}/commitment`, { version: props.view.version }))}>签署告知承诺书代替这项证明</Btn>
          ) : null}
        </Card>
      ))}
      <Text className='muted'>以下{shared.length}项不用提供，由政府部门数据共享获取：{shared.map((i) => i.name).join('、')}</Text>

      <Text className='card-title'>家人确认（诚信承诺和核对授权）</Text>
      {app.consents.map((k) => {
        const self = k.subject === 'agent' || (!app.byAgent && k.subject === 'member' && k.position === 0)
        return (
          <Card key={k.id} title={k.who}>
            <Text className={k.state === 'pending' ? 'tag bad' : 'tag ok'}>{self ? '提交时由您本人确认' : L.consentState[k.state] ?? ''}</Text>
            {k.state === 'pending' && !self ? (
              <View>
                <Btn onClick={() => act(async () => {
                  const r = await call<{ path: string; expiresAt: string }>('POST', `/mp/v1/cases/${props.caseId}/consents/${k.id}/invitation`)
                  setInvite({ who: k.who, path: r.path, expiresAt: r.expiresAt })
                })}>{k.invited ? '重新生成邀请' : `邀请${k.who}用自己的微信确认`}</Btn>
                <Btn kind='default' onClick={() => act(() => call('POST', `/mp/v1/cases/${props.caseId}/consents/${k.id}/paper`, { version: props.view.version }))}>没有手机：改为纸质签字确认</Btn>
              </View>
            ) : null}
          </Card>
        )
      })}
      {invite ? (
        <Note kind='ok'>
          <Text>邀请已生成（72小时内有效）。请把它发给{invite.who}，由本人登录后确认：</Text>
          {process.env.TARO_ENV === 'weapp' ? (
            <Btn openType='share'>通过微信发送给{invite.who}</Btn>
          ) : (
            <Text className='share' selectable>{shareUrl(invite.path)}</Text>
          )}
        </Note>
      ) : null}
      <Problem error={err} />
    </View>
  )
}

function SubmitStep(props: { caseId: string; view: CaseView; dirty: boolean; goTo: (k: string) => void; onConflict: () => void }) {
  const app = props.view.application
  const [pledge, setPledge] = useState(false)
  const [auth, setAuth] = useState(false)
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState<unknown>(null)
  const inFlight = useRef(false)
  // One key per submission on this screen, sent again with every retry: a retry after a lost
  // answer is told "already submitted" (200) by the server instead of a conflict.
  const idemKey = useRef(newKey())
  const gaps = Object.entries(app.gaps)
  const submit = async () => {
    // One submission per tap: a second tap while the first is under way does nothing; after a
    // lost answer the case is read back before anything is sent again (the server accepts a
    // version only once, so a retry can never create a second submission).
    if (inFlight.current) return
    inFlight.current = true
    setBusy(true)
    setErr(null)
    try {
      await call('POST', `/mp/v1/cases/${props.caseId}/submit`, { version: props.view.version, pledgeAccepted: pledge, authorizationAccepted: auth }, { headers: { 'Idempotency-Key': idemKey.current } })
      done()
    } catch (e) {
      if (e instanceof ApiError && (e.status === 0 || e.status === 409)) {
        try {
          const now = await call<{ status: string }>('GET', '/mp/v1/cases/' + props.caseId)
          if (now.status !== 'draft') return done()
        } catch (e2) {
          /* still offline: keep the first error */
        }
        if (e.status === 409) props.onConflict()
      }
      setErr(e)
    } finally {
      inFlight.current = false
      setBusy(false)
    }
  }
  const done = () => {
    forget('draft.' + props.caseId)
    askSubscribe().finally(() => Taro.redirectTo({ url: '/pages/case/detail?id=' + props.caseId + '&submitted=1' }))
  }
  return (
    <View>
      <Text className='card-title'>检查并提交</Text>
      {props.dirty ? <Note kind='warn'><Text>还有没保存的修改，请先回到对应步骤点“保存”。</Text></Note> : null}
      {gaps.length ? (
        <Note kind='warn'>
          <Text>提交前还需要完成这些（共{gaps.length}项）：</Text>
          {gaps.map(([k, h]) => (
            <View key={k} className='link' onClick={() => props.goTo(stepOfGap(k))}>· {plainHint(h)}</View>
          ))}
        </Note>
      ) : <Note kind='ok'><Text>信息已经齐全，可以提交。</Text></Note>}
      <Tick label='我承诺所填写的情况真实、完整，如有隐瞒愿承担责任（诚信承诺）' value={pledge} onChange={setPledge} />
      <Tick label='我同意民政部门核对家庭收入和财产情况（核对授权）' value={auth} onChange={setAuth} />
      <Btn onClick={submit} loading={busy} disabled={!app.canSubmit || !pledge || !auth || props.dirty}>提交申请</Btn>
      <Problem error={err} retry={err instanceof ApiError && err.status === 0 ? submit : undefined} />
    </View>
  )
}
