// Chinese labels of the API's codes. The codes' labels come from the server's one catalogue
// (GET /api/v1/labels, loaded after login by the router: loadLabels); what remains here is
// formatting and the words of the household declaration's form.
import { reactive } from "vue";
import { api } from "./api";

export interface CodeLabel {
  code: string;
  label: string;
}
export interface SettingLabel {
  key: string;
  label: string;
  unit?: string;
  group: string;
}
export interface LabelCatalogue {
  statuses: CodeLabel[];
  categories: CodeLabel[];
  worklists: CodeLabel[];
  steps: CodeLabel[];
  actions: CodeLabel[];
  auditActions: CodeLabel[];
  emergencyKinds: CodeLabel[];
  checkOutcomes: CodeLabel[];
  decisionOutcomes: CodeLabel[];
  deadlineStates: CodeLabel[];
  noticeStates: CodeLabel[];
  roles: CodeLabel[];
  relations: CodeLabel[];
  settings: SettingLabel[];
}

const table = () => reactive({}) as Record<string, string>;
export const statusLabels = table();
export const categoryLabels = table();
export const categoryOrder: string[] = reactive([]);
export const worklistLabels = table();
export const stepLabels = table();
export const actionLabels = table();
export const auditActionLabels = table();
export const emergencyLabels = table();
export const checkOutcomes = table();
export const outcomeLabels = table();
export const deadlineStates = table();
export const noticeStates = table();
export const roleLabels = table();
export const relationLabels = table();
export const settingLabels: Record<string, SettingLabel> = reactive({});

function fill(t: Record<string, string>, items: CodeLabel[]) {
  for (const k of Object.keys(t)) delete t[k];
  for (const it of items || []) t[it.code] = it.label;
}

// applyLabels puts a catalogue in the tables above.
export function applyLabels(c: LabelCatalogue) {
  fill(statusLabels, c.statuses);
  fill(categoryLabels, c.categories);
  categoryOrder.splice(0, categoryOrder.length, ...(c.categories || []).map((x) => x.code));
  fill(worklistLabels, c.worklists);
  fill(stepLabels, c.steps);
  fill(actionLabels, c.actions);
  fill(auditActionLabels, c.auditActions);
  fill(emergencyLabels, c.emergencyKinds);
  fill(checkOutcomes, c.checkOutcomes);
  fill(outcomeLabels, c.decisionOutcomes);
  fill(deadlineStates, c.deadlineStates);
  fill(noticeStates, c.noticeStates);
  fill(roleLabels, c.roles);
  fill(relationLabels, c.relations);
  for (const s of c.settings || []) settingLabels[s.key] = s;
}

let loading: Promise<void> | null = null;
// loadLabels fetches the catalogue once per page load (again after a failure).
export function loadLabels(): Promise<void> {
  if (!loading) {
    loading = api<LabelCatalogue>("GET", "/labels").then(applyLabels).catch((e) => {
      loading = null;
      throw e;
    });
  }
  return loading;
}





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

// cnDate: a date or time of the API as paper writes it (2026年12月7日), in China time.
export function cnDate(s?: string): string {
  if (!s) return "";
  let d = s.slice(0, 10);
  if (s.length > 10) {
    const t = Date.parse(s);
    if (!Number.isNaN(t)) d = new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }
  const [y, m, dd] = d.split("-");
  if (!y || !m || !dd) return s;
  return `${Number(y)}年${Number(m)}月${Number(dd)}日`;
}

export function when(s?: string): string {
  if (!s) return "";
  return s.slice(0, 16).replace("T", " ");
}


export const genderLabels: Record<string, string> = { male: "男", female: "女" };


export const dayKindLabels: Record<string, string> = { holiday: "放假", workday: "调休上班" };


// checkLabel: a data check's state and result in words.
export function checkLabel(d: { status: string; outcome?: string }): string {
  if (d.status === "cancelled") return "已取消";
  if (d.status !== "completed") return "已申请，待核对";
  return d.outcome && checkOutcomes[d.outcome] ? "已完成，" + checkOutcomes[d.outcome] : "已完成";
}

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
      const vv = detailValues[v] || roleLabels[v] || worklistLabels[v] || statusLabels[v] || categoryLabels[v] || v;
      return `${detailKeys[k] || k}：${vv || "（空）"}`;
    })
    .join("；");
}

// The household declaration in words.
export const factLabels = {
  relation: relationLabels,
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
  emergency: emergencyLabels,
};
