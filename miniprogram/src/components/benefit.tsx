import { View, Text } from '@tarojs/components'
import { Btn, Card, day, go, yuan } from './ui'
import { monthLabel } from '../lib/rules'

export type Benefit = {
  id: string; categoryLabel: string; personMasked: string; status: string; statusLabel: string; persons: number
  monthlyCents: number; breakdown: { label: string; cents: number }[]; formula: string; since: string; until?: string
  accountLabel?: string; accountTail4?: string; nextReviewOn: string
}

/** One benefit as its beneficiary (or the family member who applied) reads it. */
export function BenefitCard(props: { b: Benefit; payments?: boolean }) {
  const b = props.b
  return (
    <Card title={`${b.categoryLabel}（${b.personMasked}）`}>
      <Text className='tag ok'>{b.statusLabel}</Text>
      <Text className='big'>每月 {yuan(b.monthlyCents)}</Text>
      {b.breakdown.length ? (
        <View className='breakdown' aria-label='每月金额的构成'>
          {b.breakdown.map((p, i) => <Text key={i}>· {p.label}：{yuan(p.cents)}</Text>)}
        </View>
      ) : null}
      {b.formula ? <Text className='muted'>怎么算的：{b.formula}</Text> : null}
      <Text>从{monthLabel(b.since)}起发放{b.until ? `，到${monthLabel(b.until)}为止` : ''}{b.persons > 1 ? `（全家${b.persons}人）` : ''}</Text>
      <Text>{b.accountTail4 ? `发到：${b.accountLabel || '银行账户'}，尾号${b.accountTail4}` : '领取账户：还没有登记，请联系村（社区）工作人员'}</Text>
      <Text>下次核查：{day(b.nextReviewOn)}前（工作人员会再核对一次家庭情况）</Text>
      {props.payments ? <Btn kind='default' label={`查看${b.categoryLabel}的发放记录`} onClick={() => go('/pages/benefits/payments?id=' + b.id)}>每月发放记录</Btn> : null}
    </Card>
  )
}

