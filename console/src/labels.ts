// Chinese labels of the API's codes.
export const worklistLabels: Record<string, string> = {
  all: "全部",
  to_accept: "待受理",
  returned: "需补充材料",
  to_investigate: "待启动调查",
  to_check: "待核对",
  to_visit: "待入户",
  to_opinion: "待初审",
  to_notice: "待公示",
  in_notice: "公示中",
  to_decide: "待审核确认",
  to_backfill: "待补办手续",
  refusal_notice: "待送达不予批准告知",
  decided: "已决定",
  closed: "已办结",
  overdue: "已超期",
  due_soon: "即将到期",
};

export const categoryLabels: Record<string, string> = {
  minimum_living: "最低生活保障",
  extreme_hardship: "特困人员救助供养",
  temporary_aid: "临时救助",
  edge_household: "低保边缘家庭",
  illness_poverty: "支出型困难家庭",
};
export const categoryOrder = ["minimum_living", "extreme_hardship", "temporary_aid", "edge_household", "illness_poverty"];

export const outcomeLabels: Record<string, string> = {
  approved: "批准",
  refused: "不予批准",
  not_applicable: "不适用",
};

export const stepLabels: Record<string, string> = {
  application: "申请",
  acceptance: "受理",
  investigation: "启动调查",
  data_check: "核对",
  home_visit: "入户调查",
  preliminary: "初审",
  public_notice: "公示",
  decision: "审核确认",
  refusal_notice: "不予批准书面告知",
  backfill: "补办手续",
  overall: "低保全程时限",
  closing: "撤回、终止",
};

export const deadlineStates: Record<string, string> = { open: "进行中", met: "按时完成", missed: "已超期", cancelled: "已取消" };

export const itemStatus: Record<string, string> = {
  missing: "未提供",
  provided: "已提供，待审核",
  accepted: "已通过",
  rejected: "不通过",
  shared: "数据共享获取，无需提供",
  committed: "告知承诺代替",
  not_needed: "不再需要",
};

export function yuan(cents: number | undefined): string {
  if (cents === undefined || cents === null) return "";
  return (cents / 100).toFixed(2);
}

export function day(s?: string): string {
  if (!s) return "";
  return s.slice(0, 10);
}

export function when(s?: string): string {
  if (!s) return "";
  return s.slice(0, 16).replace("T", " ");
}

export const statusLabels: Record<string, string> = {
  draft: "草稿（未提交）",
  submitted: "待受理",
  returned: "需补充材料",
  not_accepted: "不予受理",
  accepted: "已受理",
  investigating: "调查核对中",
  opinion_given: "初审完成，待公示",
  public_notice: "公示中",
  reviewing: "审核确认中",
  urgent_granted: "已先行救助，待补办手续",
  decided: "已办结",
  withdrawn: "已撤回",
  terminated: "已终止",
};

export const genderLabels: Record<string, string> = { male: "男", female: "女" };

export const roleLabels: Record<string, string> = {
  village_assistant: "村（社区）协理员",
  town_caseworker: "乡镇（街道）经办人",
  town_leader: "乡镇（街道）分管领导",
  county_officer: "县级民政经办人",
  county_leader: "县级民政分管领导",
  auditor: "监督审计",
  admin: "系统管理员",
};

export const dayKindLabels: Record<string, string> = { holiday: "放假", workday: "调休上班" };

export const noticeStates: Record<string, string> = { open: "公示中", closed: "期满结束", voided: "因异议成立作废" };

// checkLabel: a data check's state and result in words.
export function checkLabel(d: { status: string; outcome?: string }): string {
  if (d.status === "cancelled") return "已取消";
  if (d.status !== "completed") return "已申请，待核对";
  return d.outcome === "negative" ? "已完成，结果异常" : d.outcome === "pass" ? "已完成，未见异常" : "已完成";
}
