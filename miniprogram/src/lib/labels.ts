// Plain-Chinese labels for the values the API uses (no code reaches the screen).

export type Opt = { value: string; label: string }

export const categories: Opt[] = [
  { value: 'minimum_living', label: '低保' },
  { value: 'extreme_hardship', label: '特困供养' },
  { value: 'temporary_aid', label: '临时救助' },
  { value: 'edge_household', label: '低保边缘家庭' },
  { value: 'illness_poverty', label: '因病致贫重病患者' },
]

export const relations: Opt[] = [
  { value: 'spouse', label: '配偶' },
  { value: 'child', label: '子女' },
  { value: 'parent', label: '父母' },
  { value: 'grandchild', label: '孙子女' },
  { value: 'grandparent', label: '祖父母' },
  { value: 'sibling', label: '兄弟姐妹' },
  { value: 'other', label: '其他' },
]

/** The agent's relation to the person the application is for. */
export const agentRelations: Opt[] = [
  { value: 'child', label: '我是他（她）的子女' },
  { value: 'spouse', label: '我是他（她）的配偶' },
  { value: 'parent', label: '我是他（她）的父母' },
  { value: 'sibling', label: '我是他（她）的兄弟姐妹' },
  { value: 'grandchild', label: '我是他（她）的孙子女' },
  { value: 'other', label: '其他亲属或受托人' },
]

export const hukou: Opt[] = [
  { value: 'local', label: '户口在本地' },
  { value: 'elsewhere', label: '户口在外地' },
]

export const health: Opt[] = [
  { value: 'healthy', label: '健康' },
  { value: 'chronic', label: '有慢性病' },
  { value: 'serious', label: '患重病' },
]

export const disabilityKinds: Opt[] = [
  { value: '', label: '没有残疾' },
  { value: 'physical', label: '肢体' },
  { value: 'visual', label: '视力' },
  { value: 'hearing', label: '听力' },
  { value: 'speech', label: '言语' },
  { value: 'intellectual', label: '智力' },
  { value: 'mental', label: '精神' },
  { value: 'multiple', label: '多重' },
]

export const disabilityGrades: Opt[] = [
  { value: '1', label: '一级' },
  { value: '2', label: '二级' },
  { value: '3', label: '三级' },
  { value: '4', label: '四级' },
]

export const workAbility: Opt[] = [
  { value: 'full', label: '能正常劳动' },
  { value: 'partial', label: '只能干轻活' },
  { value: 'none', label: '不能劳动' },
]

export const employment: Opt[] = [
  { value: 'employed', label: '上班' },
  { value: 'self_employed', label: '个体经营' },
  { value: 'farming', label: '务农' },
  { value: 'unemployed', label: '失业' },
  { value: 'retired', label: '退休' },
  { value: 'student', label: '上学' },
  { value: 'none', label: '没有工作' },
]

export const residence: Opt[] = [
  { value: 'rural', label: '农村' },
  { value: 'urban', label: '城镇' },
]

export const incomeKinds: Opt[] = [
  { value: 'wage', label: '工资' },
  { value: 'business', label: '经营收入' },
  { value: 'pension', label: '养老金' },
  { value: 'property', label: '房租、利息等' },
  { value: 'transfer_in', label: '子女等给的钱' },
  { value: 'other', label: '其他收入' },
]

export const periods: Opt[] = [
  { value: 'monthly', label: '每月' },
  { value: 'yearly', label: '每年' },
]

export const supporterAbility: Opt[] = [
  { value: 'able', label: '有赡养能力' },
  { value: 'unable_tekun', label: '本人是特困人员' },
  { value: 'unable_dibao_60', label: '60岁以上低保对象' },
  { value: 'unable_70_low_income', label: '70岁以上且收入低' },
  { value: 'unable_disabled', label: '重度残疾' },
  { value: 'missing', label: '下落不明' },
  { value: 'imprisoned', label: '正在服刑' },
]

export const itemStatus: Record<string, string> = {
  missing: '缺少，需上传',
  provided: '已上传，待审核',
  accepted: '已审核通过',
  committed: '已签署承诺',
  shared: '无需提供（部门数据共享）',
  rejected: '未通过，需重新上传',
}

export const consentState: Record<string, string> = {
  pending: '尚未确认',
  confirmed: '已确认',
  paper: '纸质确认（到乡镇核验）',
  verified: '已核验',
}

export const outcomeLabel: Record<string, string> = {
  approved: '批准',
  refused: '不予批准',
  rejected: '不予批准',
  not_applicable: '不涉及',
}

export const identityLevel: Record<string, string> = {
  verified: '已通过微信实名核验',
  desk_verified: '已由工作人员核对身份证',
  unverified: '未核验：可以为本人申请；代家人确认授权等需先到窗口核验',
  '': '尚未登记',
}

export function labelOf(opts: Opt[], v: string): string {
  return opts.find((o) => o.value === v)?.label ?? ''
}
