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

// The workflow actions (the case history, the audit log).
export const actionLabels: Record<string, string> = {
  draft: "保存草稿", submit: "提交申请", take_over: "接手申请", declare_change: "申报变化", accept: "受理", return: "退回补正",
  resubmit: "补正后重新提交", refuse_acceptance: "不予受理", withdraw: "撤回申请", start_investigation: "启动调查",
  data_check_result: "记录核对结果", data_check_objection: "对核对结果提出异议", record_visit: "记录入户调查",
  schedule_visit: "预约入户调查", opinion: "初审意见", start_notice: "开始公示", object: "登记异议", resolve_objection: "处理异议",
  close_notice: "结束公示", spot_check: "特困抽查", decide: "审核确认", refusal_notice_delivered: "不予批准告知已送达",
  urgent_grant: "先行救助", backfill: "补办手续完成", terminate: "终止办理", flag_close_relative: "近亲属备案", extend: "延长办理时限",
  review_item: "审核材料", upload_document: "上传材料", delete_document: "删除材料", "document.download": "查看材料文件",
};

// The audit log's actions in words (case.<workflow action> from actionLabels).
export const auditActionLabels: Record<string, string> = {
  "case.view": "查看申请", "case.list": "查看工作清单", "case.search": "查找申请", "case.unmask": "查看完整号码",
  "case.assisted_create": "帮办代办申请", "case.clocks_recomputed": "重算办理时限", "case.draft_saved": "保存草稿",
  "area.import": "导入行政区划", "audit.gap_accepted": "确认审计记录缺口", "audit.read": "查询审计日志", "audit.verify": "校验哈希链",
  "auth.recovery_code_used": "使用恢复码登录", "auth.second_factor_enabled": "启用动态验证码",
  "calendar.confirm_year": "确认节假日安排", "calendar.load_year": "导入节假日安排", "calendar.propose_year": "提交节假日安排修改",
  "checklist.rules.set": "修改材料清单规则", "consent.confirm": "确认授权承诺", "consent.invite": "邀请家庭成员确认",
  "consent.paper": "登记纸质授权书", "identity.beneficiary_linked": "关联受益人", "identity.conflict": "身份冲突",
  "identity.desk_verified": "窗口核验身份", "identity.not_verified": "身份未核验", "identity.taken_over": "身份被接管",
  "item.commit": "告知承诺代替材料", "notice.objection": "公示异议", "policy.set": "修改地区政策", "resident.login": "居民登录",
  "staff.create": "新建账号", "staff.disable": "停用账号", "staff.login": "工作人员登录", "staff.office_phone": "设置办公电话",
  "staff.reset_password": "重置密码", "staff.reset_second_factor": "重置动态验证码", "staff.role": "变更岗位",
};

export function auditActionLabel(a: string): string {
  const denied = a.endsWith(".denied");
  const base = denied ? a.slice(0, -".denied".length) : a;
  const l = auditActionLabels[base] || (base.startsWith("case.") ? actionLabels[base.slice(5)] : "") || "其他操作";
  return denied ? l + "（被拒绝：不在辖区或不存在）" : l;
}

const detailKeys: Record<string, string> = {
  version: "版本", by: "方式", results: "结果数", list: "清单", status: "状态", category: "类别", cases: "申请数",
  field: "信息", position: "成员序号", reason: "原因", item: "材料", code: "材料代码", rows: "条数", stars: "评价星级",
  outbox: "通知", consent: "授权", facts_seq: "申报版本", resident: "居民", method: "方式", paper_forms: "纸质表",
  public_id: "申请编号", cases_kept: "保留申请", drafts_deleted: "删除草稿", factor: "登录方式", actor: "操作人", action: "操作",
  case: "申请", from: "自", to: "至", before: "翻页", target_staff_id: "账号", username: "用户名", role: "岗位", area: "区划",
  year: "年份", holidays: "放假天数", workdays: "调休上班天数", source: "来源", document: "文件", sha256: "文件指纹", key: "存储位置",
  size: "大小（字节）", type: "类型", proposal: "修改提案", differences: "不同天数",
};
const detailValues: Record<string, string> = {
  masked: "（号码已脱敏）", id_number: "身份证号", case_no: "受理编号", name_or_village: "姓名或村（社区）", desk: "窗口核验",
  phone: "电话号码", idNumber: "身份证号", password: "密码", totp: "动态验证码", recovery: "恢复码",
  ...Object.fromEntries(Object.entries({
    village_assistant: "村（社区）协理员", town_caseworker: "乡镇（街道）经办人", town_leader: "乡镇（街道）分管领导",
    county_officer: "县级民政经办人", county_leader: "县级民政分管领导", auditor: "监督审计", admin: "系统管理员",
  })),
};

// auditDetail: "key=value key=value" in words; values that are codes of known lists are named too.
export function auditDetail(d: string): string {
  if (!d) return "";
  return d
    .split(/\s+/)
    .map((kv) => {
      const i = kv.indexOf("=");
      if (i < 0) return detailValues[kv] || kv;
      const k = kv.slice(0, i), v = kv.slice(i + 1);
      const vv = detailValues[v] || worklistLabels[v] || statusLabels[v] || categoryLabels[v] || v;
      return `${detailKeys[k] || k}：${vv || "（空）"}`;
    })
    .join("；");
}

// The household declaration in words.
export const factLabels = {
  relation: { self: "本人", spouse: "配偶", child: "子女", parent: "父母", grandchild: "孙子女", grandparent: "祖父母", sibling: "兄弟姐妹", other: "其他" } as Record<string, string>,
  hukou: { local: "本地户籍", elsewhere: "外地户籍" } as Record<string, string>,
  health: { healthy: "健康", chronic: "慢性病", serious: "重病" } as Record<string, string>,
  work: { full: "有劳动能力", partial: "部分丧失劳动能力", none: "无劳动能力" } as Record<string, string>,
  employment: { employed: "务工（受雇）", self_employed: "自主经营", farming: "务农", unemployed: "失业", retired: "退休", student: "在校学生", none: "无业" } as Record<string, string>,
  disability: { physical: "肢体残疾", visual: "视力残疾", hearing: "听力残疾", speech: "言语残疾", intellectual: "智力残疾", mental: "精神残疾", multiple: "多重残疾" } as Record<string, string>,
  income: {
    wage: "工资", business: "经营净收入", property: "财产收入", pension: "养老金", transfer_in: "转移性收入（赡养费、赔偿等）", other: "其他收入",
    transfer_out: "支付的赡养费、抚养费", assistance: "社会救助金", special_care: "优抚金", award: "奖励、助学金", basic_pension: "城乡居民基础养老金",
    employment_cost: "就业成本", social_insurance: "社会保险费", income_tax: "个人所得税", medical_spending: "医疗支出", education_spending: "教育支出",
  } as Record<string, string>,
  period: { monthly: "每月", yearly: "每年" } as Record<string, string>,
  ability: {
    able: "有赡养（抚养、扶养）能力", unable_tekun: "本人是特困人员", unable_dibao_60: "享受低保且年满60周岁", unable_70_low_income: "70周岁以上且收入低",
    unable_disabled: "重度残疾或重病", missing: "下落不明", imprisoned: "服刑",
  } as Record<string, string>,
  emergency: { accident: "意外事故", serious_illness: "突发重病", disaster: "自然灾害" } as Record<string, string>,
};
