import { idNumberProblem, yuanToCents } from './rules'

// The draft's household, income and supporter forms: what each refuses before anything is
// saved (pure, tested in test/forms.test.mjs), and the bookkeeping when a member is removed.

export type Member = { relation: string; name: string; idNumber: string; hukouType: string; hukouPlace: string; residencePermit: boolean; disabilityKind: string; disabilityGrade: number; health: string; seriousIllness: string; workAbility: string; inEducation: boolean; employment: string; selfCareFailed: number; orphan: boolean }
export type Income = { member: number; kind: string; amountCents: number; period: string; source: string }
export type Supporter = { forMember: number; relation: string; name: string; idNumber: string; ability: string }
export type Facts = { residence: string; members: Member[]; income: Income[]; noIncome: boolean; assets: { declared: boolean; depositCents: number; securitiesCents: number; vehicles: number; housing: number; businesses: number }; supporters: Supporter[]; noSupporters: boolean; [k: string]: any }

/** A member with nothing declared yet: the later steps name each gap. */
export const blankMember = (relation: string, name: string, idNumber: string): Member => ({ relation, name, idNumber, hukouType: '', hukouPlace: '', residencePermit: false, disabilityKind: '', disabilityGrade: 0, health: '', seriousIllness: '', workAbility: '', inEducation: false, employment: '', selfCareFailed: 0, orphan: false })

const same = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase()

/** Why a member cannot be added (null: it can). */
export function memberProblem(f: Facts, name: string, id: string): string | null {
  if (name.trim() === '') return '请填写姓名'
  const p = idNumberProblem(id)
  if (p) return p
  const twice = f.members.find((m) => same(m.idNumber, id))
  return twice ? `${twice.name}已经在家庭成员里了，不用重复添加` : null
}

/** Why a supporter (赡养人, living apart) cannot be added (null: they can). */
export function supporterProblem(f: Facts, name: string, id: string): string | null {
  if (name.trim() === '') return '请填写姓名'
  const p = idNumberProblem(id)
  if (p) return p
  const member = f.members.find((m) => same(m.idNumber, id))
  if (member) return `${member.name}已经是一起生活的家庭成员，不是赡养人`
  const twice = f.supporters.find((s) => same(s.idNumber, id))
  return twice ? `${twice.name}已经填过了` : null
}

/** The amount of an income item in fen, or why it is refused. */
export function incomeAmount(text: string): { cents: number } | { error: string } {
  const c = yuanToCents(text)
  return c ? { cents: c } : { error: '请填写金额（元），例如 1800' }
}

/** Remove member i (not the person applied for): their income and supporters go with them, later members are renumbered. */
export function removeMember(f: Facts, i: number) {
  if (i <= 0) throw new Error('申请救助的人不能删除')
  f.members.splice(i, 1)
  f.income = f.income.filter((x) => x.member !== i).map((x) => ({ ...x, member: x.member > i ? x.member - 1 : x.member }))
  f.supporters = f.supporters.filter((x) => x.forMember !== i).map((x) => ({ ...x, forMember: x.forMember > i ? x.forMember - 1 : x.forMember }))
}
