import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Screen, Problem, Card, Note, yuan } from '../../components/ui'
import { call, token } from '../../lib/api'
import { monthLabel } from '../../lib/rules'
import { BenefitCard, type Benefit } from '../../components/benefit'

type Payment = { month: string; forMonth: string; kind: string; cents: number; status: string; statusLabel: string; accountTail4?: string }

// 发放记录: each month's amount and whether it was paid, newest first.
export default function Payments() {
  const id = useRouter().params.id || ''
  const [data, setData] = useState<{ benefit: Benefit; payments: Payment[] } | null>(null)
  const [err, setErr] = useState<unknown>(null)
  const load = async () => {
    if (!token()) {
      Taro.redirectTo({ url: '/pages/login/index?back=' + encodeURIComponent('/pages/benefits/payments?id=' + id) })
      return
    }
    setErr(null)
    try {
      setData(await call('GET', `/mp/v1/benefits/${id}/payments`))
    } catch (e) {
      setErr(e)
    }
  }
  useDidShow(load)
  return (
    <Screen title='发放记录'>
      <Problem error={err} retry={load} />
      {!data && !err ? <Text>正在读取…</Text> : null}
      {data ? <BenefitCard b={data.benefit} /> : null}
      {data && data.payments.length === 0 ? (
        <Note><Text>还没有发放记录。每月的发放名单审批后，这里会显示当月的金额和是否已发到账户。</Text></Note>
      ) : null}
      {data && data.payments.length ? (
        <Card title='每月发放'>
          {data.payments.map((p, i) => (
            <View key={i} className='pay-row'>
              <Text>{monthLabel(p.month)}{p.kind === 'arrears' ? `（补发${monthLabel(p.forMonth)}）` : ''}：{yuan(p.cents)}</Text>
              <Text className={p.status === 'failed' ? 'tag bad' : p.status === 'paid' ? 'tag ok' : 'tag'}>{p.statusLabel}</Text>
            </View>
          ))}
        </Card>
      ) : null}
    </Screen>
  )
}
