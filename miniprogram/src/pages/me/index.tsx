import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Screen, Btn, Field, Choice, Problem, Note, Card, day, go } from '../../components/ui'
import { call, setToken, token } from '../../lib/api'
import { useProfile } from '../../lib/session'

type Complaint = { id: string; text: string; status: string; answer?: string; at: string; villageName?: string }
type CaseSummary = { id: string; categories: { label: string }[]; statusLabel: string }

// Phone binding, complaints, a copy of one's data and the account's deletion.
export default function Me() {
  const { profile } = useProfile()
  const [err, setErr] = useState<unknown>(null)
  const [complaints, setComplaints] = useState<Complaint[]>([])
  const [cases, setCases] = useState<CaseSummary[]>([])
  const [about, setAbout] = useState('')
  const [text, setText] = useState('')
  const [exported, setExported] = useState('')
  const load = async () => {
    if (!token()) {
      Taro.redirectTo({ url: '/pages/login/index?back=' + encodeURIComponent('/pages/me/index') })
      return
    }
    try {
      setComplaints((await call<{ items: Complaint[] }>('GET', '/mp/v1/complaints')).items)
      setCases((await call<{ items: CaseSummary[] }>('GET', '/mp/v1/cases')).items.filter((c) => c.statusLabel))
    } catch (e) {
      setErr(e)
    }
  }
  useDidShow(load)
  const act = async (f: () => Promise<void>) => {
    setErr(null)
    try {
      await f()
    } catch (e) {
      setErr(e)
    }
  }
  const complain = () => act(async () => {
    await call('POST', '/mp/v1/complaints', { caseId: about, text: text.trim() })
    setText('')
    await load()
  })
  const exportData = () => act(async () => {
    const data = await call<any>('GET', '/mp/v1/me/export')
    const json = JSON.stringify(data, null, 2)
    if (process.env.TARO_ENV === 'h5') {
      const a = document.createElement('a')
      a.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }))
      a.download = '我的数据.json'
      a.click()
    } else {
      const path = `${(Taro as any).env.USER_DATA_PATH}/my-data.json`
      Taro.getFileSystemManager().writeFileSync(path, json, 'utf8')
    }
    setExported(`已生成您的数据副本（${Math.ceil(json.length / 1024)}KB）`)
  })
  const remove = async () => {
    const r = await Taro.showModal({ title: '注销账号', content: '注销后将清除您的姓名、身份证号、手机号和消息，且不能恢复；依法须保存的申请记录会保留。确定注销吗？', confirmText: '确定注销', cancelText: '不注销' })
    if (!r.confirm) return
    act(async () => {
      await call('POST', '/mp/v1/me/deletion', { confirm: true })
      setToken('')
      Taro.reLaunch({ url: '/pages/index/index' })
    })
  }
  const bindPhone = (e: any) => act(async () => {
    if (!e.detail.code) return
    await call('POST', '/mp/v1/me/phone', { code: e.detail.code })
    Taro.showToast({ title: '手机号已绑定', icon: 'success' })
  })
  return (
    <Screen title='我的'>
      <Problem error={err} />
      <Btn onClick={() => go('/pages/benefits/index')}>我的保障和发放记录</Btn>
      <Card title='手机号'>
        <Text>{profile?.phoneMasked ? `已绑定：${profile.phoneMasked}` : '未绑定。绑定后工作人员可以电话联系您。'}</Text>
        {process.env.TARO_ENV === 'weapp' ? <Btn openType='getPhoneNumber' onGetPhoneNumber={bindPhone}>用微信绑定的手机号</Btn> : <Text className='muted'>网页版不能绑定手机号，请在微信小程序中绑定。</Text>}
      </Card>
      <Card title='投诉和建议'>
        <Choice label='关于哪份申请' options={[{ value: '', label: '请选择' }, ...cases.map((c) => ({ value: c.id, label: `${c.categories.map((x) => x.label).join('、')}（${c.statusLabel}）` }))]} value={about} onChange={setAbout} />
        <Field label='投诉内容' value={text} onChange={setText} multiline placeholder='请写明时间、经过和您的诉求' />
        <Btn onClick={complain} disabled={!about || text.trim() === ''}>提交投诉</Btn>
        {complaints.map((c) => (
          <View key={c.id} className='card'>
            <Text>{c.text}</Text>
            <Text className='muted'>{day(c.at)}　{c.answer ? '已答复' : '等待答复'}</Text>
            {c.answer ? <Text>答复：{c.answer}</Text> : null}
          </View>
        ))}
      </Card>
      <Card title='我的个人信息'>
        <Btn kind='default' onClick={exportData}>下载我的数据副本</Btn>
        {exported ? <Note kind='ok'><Text>{exported}</Text></Note> : null}
        <Btn kind='danger' onClick={remove}>注销账号</Btn>
      </Card>
    </Screen>
  )
}
