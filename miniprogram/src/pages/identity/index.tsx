import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Screen, Btn, Field, Problem, Note } from '../../components/ui'
import { call } from '../../lib/api'
import { idNumberProblem } from '../../lib/rules'
import { identityLevel } from '../../lib/labels'
import { useProfile, type Profile } from '../../lib/session'

export default function Identity() {
  const router = useRouter()
  const back = router.params.back ? decodeURIComponent(router.params.back) : ''
  const { profile, loggedIn } = useProfile()
  const [name, setName] = useState('')
  const [id, setId] = useState('')
  const [hint, setHint] = useState('')
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState<unknown>(null)
  const [saved, setSaved] = useState<Profile | null>(null)
  const [desk, setDesk] = useState<{ code: string; note: string } | null>(null)

  if (!loggedIn) {
    return (
      <Screen title='实名登记'>
        <Btn onClick={() => Taro.redirectTo({ url: '/pages/login/index?back=' + encodeURIComponent('/pages/identity/index') })}>请先登录</Btn>
      </Screen>
    )
  }
  const p = saved || profile
  const submit = async () => {
    setErr(null)
    const problem = name.trim() === '' ? '请填写真实姓名' : idNumberProblem(id)
    setHint(problem || '')
    if (problem) return
    setBusy(true)
    try {
      const r = await call<Profile>('PUT', '/mp/v1/me/identity', { name: name.trim(), idNumber: id.trim().toUpperCase() })
      setSaved(r)
      if (back) Taro.redirectTo({ url: back })
    } catch (e) {
      setErr(e)
    } finally {
      setBusy(false)
    }
  }
  const deskCode = async () => {
    setErr(null)
    try {
      setDesk(await call('POST', '/mp/v1/me/identity/desk-code'))
    } catch (e) {
      setErr(e)
    }
  }
  return (
    <Screen title='实名登记'>
      {p && p.hasIdentity ? (
        <View className='card'>
          <Text className='card-title'>已登记：{p.realName}</Text>
          <Text>身份证号：{p.idNumberMasked}</Text>
          <Text className={p.identityVerified ? 'tag ok' : 'tag bad'}>{identityLevel[p.identityLevel] ?? ''}</Text>
          {!p.identityVerified ? <Btn kind='default' onClick={deskCode}>到窗口核验：出示核验码</Btn> : null}
          {desk ? (
            <Note kind='warn'>
              <Text className='big'>{desk.code}</Text>
              <Text>{desk.note}</Text>
            </Note>
          ) : null}
        </View>
      ) : (
        <View>
          <Note><Text>申请救助需要登记本人的真实姓名和身份证号。信息加密保存，只用于办理您的申请。</Text></Note>
          <Field label='真实姓名' value={name} onChange={setName} placeholder='与身份证上一致' />
          <Field label='身份证号' value={id} onChange={(v) => { setId(v); setHint('') }} type='idcard' placeholder='18位身份证号' hint={hint} maxlength={18} />
          <Btn onClick={submit} loading={busy}>提交实名信息</Btn>
        </View>
      )}
      <Problem error={err} />
    </Screen>
  )
}
