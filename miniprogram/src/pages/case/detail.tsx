import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Screen, Btn, Field, Problem, Note, Card, day, yuan, go } from '../../components/ui'
import { Uploader } from '../../components/upload'
import { call, token } from '../../lib/api'
import * as L from '../../lib/labels'

type Doc = { id: number; fileName: string }
type Missing = { id: number; name: string; note?: string; status: string; rejectReason?: string; round: number; documents: Doc[] }
type View_ = {
  id: string; caseNo: string; status: string; statusLabel: string; categories: { code: string; label: string }[]; areaName: string; submittedAt: string; version: number
  members: { relationLabel: string; name: string }[]
  timeline: { label: string; at: string; note?: string }[]
  missingItems: Missing[]
  nextStep: { label: string; dueOn?: string; dueFor?: string; overdue: boolean; provisional: boolean } | null
  remainingSteps: { label: string; dueOn: string; overdue: boolean; daysOverdue?: number; provisional: boolean }[]
  overdue?: { message: string; hotline: string }
  responsible?: { name: string; officePhone?: string }
  canWithdraw: boolean; canResubmit: boolean; canRate: boolean
  rating?: { stars: number; label: string; comment?: string }
  decisions: { categoryLabel: string; outcome: string; monthlyCents?: number; oneOffCents?: number; effectiveMonth?: string; reason?: string }[]
  dataCheck?: { outcome: string; summary?: string }
  application?: { canTakeOver: boolean; isApplicant: boolean }
}

const uploadable = ['draft', 'submitted', 'returned']

/** What the resident must do now, in one sentence. */
function todo(v: View_): string {
  if (v.status === 'returned') return '乡镇（街道）请您补充材料：请按下面标红的项目重新上传，然后点“补齐了，重新提交”。'
  if (v.status === 'decided') return '已经办结，请查看下面的审核结果。'
  if (v.status === 'withdrawn') return '您已撤回这份申请。'
  if (v.missingItems.some((m) => m.status === 'missing' || m.status === 'rejected')) return '请上传标红的材料。'
  return '现在不需要您做什么，请等待工作人员办理；有进展会发消息通知您。'
}

export default function CaseDetail() {
  const router = useRouter()
  const id = router.params.id || ''
  const [v, setV] = useState<View_ | null>(null)
  const [err, setErr] = useState<unknown>(null)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [stars, setStars] = useState(0)
  const [comment, setComment] = useState('')
  const load = async () => {
    if (!token()) {
      Taro.redirectTo({ url: '/pages/login/index?back=' + encodeURIComponent('/pages/case/detail?id=' + id) })
      return
    }
    try {
      const r = await call<View_>('GET', '/mp/v1/cases/' + id)
      if (r.status === 'draft') {
        Taro.redirectTo({ url: '/pages/apply/index?id=' + id })
        return
      }
      setV(r)
    } catch (e) {
      setErr(e)
    }
  }
  useDidShow(load)
  const act = async (method: 'POST', path: string, body: any) => {
    setErr(null)
    setBusy(true)
    try {
      setV(await call<View_>(method, path, body))
    } catch (e) {
      setErr(e)
      load()
    } finally {
      setBusy(false)
    }
  }
  const withdraw = async () => {
    const r = await Taro.showModal({ title: '撤回申请', content: '撤回后这份申请不再办理，确定撤回吗？', confirmText: '确定撤回', cancelText: '不撤回' })
    if (r.confirm) act('POST', `/mp/v1/cases/${id}/withdraw`, { version: v!.version, reason: '本人撤回' })
  }
  if (!v) return <Screen title='办理进度'><Problem error={err} retry={load} />{!err ? <Text>正在读取…</Text> : null}</Screen>
  return (
    <Screen title='办理进度'>
      {router.params.submitted === '1' && v.status === 'submitted' ? <Note kind='ok'><Text>申请已提交。办理有进展时会通知您。</Text></Note> : null}
      <Card>
        <Text className='big'>{v.statusLabel}</Text>
        <Text>{v.categories.map((c) => c.label).join('、')}　{v.areaName}</Text>
        <Text className='muted'>申请编号 {v.caseNo}　提交于{day(v.submittedAt)}</Text>
        <Text className='muted'>家庭成员：{v.members.map((m) => `${m.name}（${m.relationLabel}）`).join('、')}</Text>
      </Card>
      <Note kind={v.status === 'returned' ? 'warn' : 'info'}>
        <Text className='card-title'>现在需要您做什么</Text>
        <Text>{todo(v)}</Text>
      </Note>
      {v.application?.canTakeOver ? (
        <Note kind='warn'>
          <Text>这份申请是家人替您提出的。您也可以由本人接手：此后由您自己办理，代您申请的家人不能再修改或撤回。</Text>
          <Btn kind='default' loading={busy} onClick={() => act('POST', `/mp/v1/cases/${id}/take-over`, { version: v.version })}>由我本人接手办理</Btn>
        </Note>
      ) : null}
      {v.decisions.filter((d) => d.outcome !== 'not_applicable').length ? (
        <Card title='审核结果'>
          {v.decisions.filter((d) => d.outcome !== 'not_applicable').map((d, i) => (
            <View key={i}>
              <Text className='big'>{d.categoryLabel}：{L.outcomeLabel[d.outcome] ?? d.outcome}</Text>
              {d.monthlyCents ? <Text>每月 {yuan(d.monthlyCents)}{d.effectiveMonth ? `，从${d.effectiveMonth.replace('-', '年')}月起发放` : ''}</Text> : null}
              {d.oneOffCents ? <Text>一次性 {yuan(d.oneOffCents)}</Text> : null}
              {d.reason ? <Text>理由：{d.reason}</Text> : null}
              {d.outcome !== 'approved' ? <Text className='muted'>对结果有异议，可在收到书面决定之日起60日内申请行政复议，或6个月内提起行政诉讼；也可拨打12349民政服务热线咨询。</Text> : null}
            </View>
          ))}
          {v.decisions.some((d) => d.outcome === 'approved' && d.monthlyCents) ? <Btn kind='default' onClick={() => go('/pages/benefits/index')}>查看我的保障和每月发放记录</Btn> : null}
        </Card>
      ) : null}
      {v.nextStep ? (
        <Card title='下一步'>
          <Text>{v.nextStep.label}</Text>
          {v.nextStep.dueOn ? <Text className={v.nextStep.overdue ? 'bad' : ''}>{v.nextStep.overdue ? '已超期：' : '应在'}{day(v.nextStep.dueOn)}{v.nextStep.overdue ? '前完成' : '前完成'}{v.nextStep.dueFor ? `（${v.nextStep.dueFor}）` : ''}{v.nextStep.provisional ? '（节假日未公布，日期可能调整）' : ''}</Text> : null}
        </Card>
      ) : null}
      {v.remainingSteps.length ? (
        <Card title='各环节的办理期限'>
          {v.remainingSteps.map((s, i) => (
            <Text key={i} className={s.overdue ? 'bad' : ''}>· {s.label}：{day(s.dueOn)}前{s.overdue ? `（已超期${s.daysOverdue ?? ''}天）` : ''}</Text>
          ))}
        </Card>
      ) : null}
      {v.overdue ? <Note kind='warn'><Text>{v.overdue.message}</Text><Text>民政服务热线：{v.overdue.hotline}</Text></Note> : null}
      {v.responsible ? <Card title='负责办理的工作人员'><Text>{v.responsible.name}{v.responsible.officePhone ? `　办公电话 ${v.responsible.officePhone}` : ''}</Text></Card> : null}
      {v.dataCheck && v.dataCheck.summary ? <Card title='家庭经济状况核对'><Text>{v.dataCheck.summary}</Text></Card> : null}
      {v.missingItems.filter((m) => m.status !== 'shared').length ? (
        <Card title='材料'>
          {v.missingItems.filter((m) => m.status !== 'shared').map((m) => (
            <View key={m.id} className='card'>
              <Text className='card-title'>{m.name}</Text>
              {m.note ? <Text className='muted'>{m.note}</Text> : null}
              <Text className={m.status === 'rejected' || m.status === 'missing' ? 'tag bad' : 'tag ok'}>{L.itemStatus[m.status] ?? ''}</Text>
              {m.rejectReason ? <Text className='bad'>未通过的原因：{m.rejectReason}</Text> : null}
              {m.documents.map((d) => <Text key={d.id} className='muted'>已上传：{d.fileName}</Text>)}
              {uploadable.includes(v.status) && (m.status === 'missing' || m.status === 'rejected') ? <Uploader caseId={v.id} itemId={m.id} itemName={m.name} onDone={load} /> : null}
            </View>
          ))}
        </Card>
      ) : null}
      {v.canResubmit ? (
        <View>
          <Field label='给工作人员的说明（可不填）' value={note} onChange={setNote} placeholder='例如：已补充6个月内的诊断证明' />
          <Btn onClick={() => act('POST', `/mp/v1/cases/${id}/resubmit`, { version: v.version, note: note.trim() })} loading={busy}>补齐了，重新提交</Btn>
        </View>
      ) : null}
      {v.canRate ? (
        <Card title='评价这次办理（好差评）'>
          <View className='chips' role='radiogroup' aria-label='满意程度'>
            {[5, 4, 3, 2, 1].map((n) => <View key={n} className={stars === n ? 'chip on' : 'chip'} role='radio' aria-checked={stars === n} onClick={() => setStars(n)}>{['', '非常不满意', '不满意', '一般', '满意', '非常满意'][n]}</View>)}
          </View>
          <Field label='想说的话（可不填）' value={comment} onChange={setComment} multiline maxlength={200} />
          <Btn disabled={!stars} onClick={async () => { setErr(null); try { await call('POST', `/mp/v1/cases/${id}/rating`, { stars, comment: comment.trim() }); load() } catch (e) { setErr(e) } }}>提交评价</Btn>
        </Card>
      ) : null}
      {v.rating ? <Card title='您的评价'><Text>您的评价：{v.rating.label}</Text>{v.rating.comment ? <Text className='muted'>{v.rating.comment}</Text> : null}</Card> : null}
      <Problem error={err} />
      <Card title='办理记录'>
        {v.timeline.map((t, i) => (
          <Text key={i}>· {day(t.at)} {t.label}{t.note ? `：${t.note}` : ''}</Text>
        ))}
      </Card>
      {v.canWithdraw ? <Btn kind='danger' onClick={withdraw}>撤回申请</Btn> : null}
    </Screen>
  )
}
