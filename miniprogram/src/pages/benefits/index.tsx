import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Text } from '@tarojs/components'
import { Screen, Problem, Note } from '../../components/ui'
import { BenefitCard, type Benefit } from '../../components/benefit'
import { call, token } from '../../lib/api'

// 我的保障: what the resident (or the family member they applied for) receives.
export default function Benefits() {
  const [items, setItems] = useState<Benefit[] | null>(null)
  const [err, setErr] = useState<unknown>(null)
  const load = async () => {
    if (!token()) {
      Taro.redirectTo({ url: '/pages/login/index?back=' + encodeURIComponent('/pages/benefits/index') })
      return
    }
    setErr(null)
    try {
      setItems((await call<{ items: Benefit[] }>('GET', '/mp/v1/benefits')).items)
    } catch (e) {
      setErr(e)
    }
  }
  useDidShow(load)
  return (
    <Screen title='我的保障'>
      <Problem error={err} retry={load} />
      {!items && !err ? <Text>正在读取…</Text> : null}
      {items && items.length === 0 ? (
        <Note><Text>还没有正在享受的低保或特困供养。申请批准后，这里会显示每月的金额和发放情况。</Text></Note>
      ) : null}
      {(items || []).map((b) => <BenefitCard key={b.id} b={b} payments />)}
    </Screen>
  )
}
