import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Screen, Btn, Tick, Problem, Note, Card, day } from '../../components/ui'
import { ApiError, call, token } from '../../lib/api'

type Invitation = { applicantBy: string; areaName: string; caseId: string; categories: { label: string }[]; confirmed: boolean; expiresAt: string; members: number; relation: string; text: string; textVersion: string }

// The invitee's screen: a family member confirms, from their own WeChat, the pledge and the
// data-check authorisation of an application someone made for the household.
export default function Consent() {
  const router = useRouter()
  const t = router.params.t || ''
  const here = '/pages/consent/index?t=' + t
  const [inv, setInv] = useState<Invitation | null>(null)
  const [err, setErr] = useState<unknown>(null)
  const [pledge, setPledge] = useState(false)
  const [auth, setAuth] = useState(false)
  const [done, setDone] = useState(false)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (!token()) {
      Taro.redirectTo({ url: '/pages/login/index?back=' + encodeURIComponent(here) })
      return
    }
    // The invitation opens only for the person it names: their identity comes first.
    call<{ hasIdentity: boolean }>('GET', '/mp/v1/me').then((me) => {
      if (!me.hasIdentity) {
        Taro.redirectTo({ url: '/pages/identity/index?back=' + encodeURIComponent(here) })
        return
      }
      return call<Invitation>('GET', '/mp/v1/invitations/' + t).then(setInv)
    }).catch((e) => {
      if (e instanceof ApiError && e.code === 'identity.required') {
        Taro.redirectTo({ url: '/pages/identity/index?back=' + encodeURIComponent(here) })
        return
      }
      setErr(e)
    })
  }, [])
  const confirm = async () => {
    setErr(null)
    setBusy(true)
    try {
      await call('POST', `/mp/v1/invitations/${t}/confirm`, { pledgeAccepted: pledge, authorizationAccepted: auth, textVersion: inv!.textVersion })
      setDone(true)
    } catch (e) {
      setErr(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Screen title='请您确认'>
      <Problem error={err} />
      {done ? (
        <View>
          <Note kind='ok'><Text>已确认，谢谢您。您可以在“我的申请”里看到这份申请的办理进度。</Text></Note>
          <Btn onClick={() => Taro.reLaunch({ url: '/pages/cases/index' })}>查看我的申请</Btn>
        </View>
      ) : inv ? (
        <View>
          <Card title={`${inv.applicantBy}为您家申请了${inv.categories.map((c) => c.label).join('、')}`}>
            <Text>{inv.areaName}，共{inv.members}位家庭成员</Text>
            <Text className='muted'>请在{day(inv.expiresAt)}前确认</Text>
          </Card>
          <Card title='请仔细读一读'>
            <Text>{inv.text}</Text>
          </Card>
          <Tick label='我承诺申请中填写的情况真实' value={pledge} onChange={setPledge} />
          <Tick label='我同意民政部门核对我的收入和财产' value={auth} onChange={setAuth} />
          <Btn onClick={confirm} disabled={!pledge || !auth} loading={busy}>我确认</Btn>
        </View>
      ) : !err ? <Text>正在打开…</Text> : null}
    </Screen>
  )
}
