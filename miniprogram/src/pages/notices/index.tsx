import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { Screen, Btn, Field, Problem, Note, Card, VillagePicker, day, yuan, go, type Village } from '../../components/ui'
import { call, token } from '../../lib/api'

type Notice = { id: string; nameMasked: string; categories: string; householdSize: number; monthlyCents?: number; startsOn: string; endsOn: string }

// The village's public notice board (no login) and the objection form (real name, logged in).
export default function Notices() {
  const [village, setVillage] = useState<Village | null>(null)
  const [board, setBoard] = useState<{ areaName: string; objectionRule: string; items: Notice[] } | null>(null)
  const [err, setErr] = useState<unknown>(null)
  const [open, setOpen] = useState('')
  const [content, setContent] = useState('')
  const [contact, setContact] = useState('')
  const [sent, setSent] = useState('')
  const pick = async (v: Village) => {
    setVillage(v)
    setBoard(null)
    if (!v) return
    try {
      setBoard(await call('GET', `/mp/v1/villages/${v.code}/notices`, undefined, { auth: false }))
    } catch (e) {
      setErr(e)
    }
  }
  const object = async (id: string) => {
    setErr(null)
    try {
      await call('POST', `/mp/v1/notices/${id}/objections`, { content: content.trim(), contact: contact.trim() })
      setSent(id)
      setOpen('')
      setContent('')
    } catch (e) {
      setErr(e)
    }
  }
  return (
    <Screen title='公示'>
      <VillagePicker value={village} onChange={pick} />
      {board ? (
        <View>
          <Note><Text>{board.objectionRule}</Text></Note>
          {board.items.length === 0 ? <Text>本村（社区）现在没有正在公示的名单。</Text> : null}
          {board.items.map((n) => (
            <Card key={n.id} title={`${n.nameMasked}　${n.categories}`}>
              <Text>家庭人口 {n.householdSize} 人{n.monthlyCents ? `，每月 ${yuan(n.monthlyCents)}` : ''}</Text>
              <Text className='muted'>公示期：{day(n.startsOn)}至{day(n.endsOn)}</Text>
              {sent === n.id ? <Text className='tag ok'>您的异议已登记，工作人员会核实并联系您</Text> : null}
              {open === n.id ? (
                <View>
                  <Field label='异议内容' value={content} onChange={setContent} multiline placeholder='请写明您了解的情况' />
                  <Field label='联系电话（便于核实回复）' value={contact} onChange={setContact} type='number' />
                  <Btn onClick={() => object(n.id)} disabled={content.trim() === ''}>提交异议（实名）</Btn>
                </View>
              ) : token() ? (
                <View className='link' onClick={() => { setOpen(n.id); setSent('') }}>对这户提出异议</View>
              ) : (
                <View className='link' onClick={() => go('/pages/login/index?back=' + encodeURIComponent('/pages/notices/index'))}>登录后可提出异议</View>
              )}
            </Card>
          ))}
        </View>
      ) : null}
      <Problem error={err} />
    </Screen>
  )
}
