// The console's one way to the staff API: same origin, the session in an HttpOnly cookie the
// script never sees, the CSRF token (kept in memory only) on every state-changing request.
import { reactive } from "vue";

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface StaffView {
  username: string;
  displayName: string;
  role: string;
  roleLabel: string;
  areaCode: string;
  areaName: string;
  permissions: string[];
  mustChangePassword: boolean;
  secondFactorEnabled?: boolean;
  secondFactorRequired?: boolean;
}

export interface ConsoleSession {
  csrfToken: string;
  idleTimeoutSeconds: number;
  staff: StaffView;
}

// session: who is logged in, and when the server last saw a request (its idle clock).
export const session = reactive({
  staff: null as StaffView | null,
  csrf: "",
  idleSeconds: 1800,
  lastRequestAt: Date.now(),
  busy: 0,
  expiredMessage: "",
});

// The tabs of one browser share the session (one cookie): each tells the others when it last
// reached the server, so an idle tab does not log out while another is in use, and a logout in
// one tab ends them all. Only a timestamp crosses, never a token.
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("palmaid-console") : null;
let onLoggedOutElsewhere: () => void = () => {};
export function whenLoggedOutElsewhere(f: () => void) {
  onLoggedOutElsewhere = f;
}
if (channel) {
  channel.onmessage = (e: MessageEvent) => {
    if (e.data && typeof e.data.at === "number") session.lastRequestAt = Math.max(session.lastRequestAt, e.data.at);
    if (e.data && e.data.logout) onLoggedOutElsewhere();
  };
}
function touched() {
  session.lastRequestAt = Date.now();
  channel?.postMessage({ at: session.lastRequestAt });
}
export function announceLogout() {
  channel?.postMessage({ logout: true });
}

// activity: typing or clicking counts as work. When the server has not heard from this tab for
// a minute, a keep-alive (GET /auth/console-session) resets its idle clock, so 30 minutes spent
// writing 调查情况 do not end the session.
let keepAliveInFlight = false;
export function activity(now = Date.now()) {
  if (!session.staff || keepAliveInFlight || now - session.lastRequestAt < 60_000) return;
  keepAliveInFlight = true;
  api("GET", "/auth/console-session")
    .catch(() => {})
    .finally(() => (keepAliveInFlight = false));
}

// A tab that had a session remembers it (sessionStorage, no token): a reload after the session
// ended says why the login form is back.
const hadSessionKey = "palmaid.hadSession";
export function sessionLostMessage(): string {
  return sessionStorage.getItem(hadSessionKey) ? "登录已失效（闲置超时、已在别处退出或服务已重启），请重新登录；未发送的长文本已保存在本机，登录后可继续" : "";
}

export function setSession(s: ConsoleSession | null) {
  if (s) sessionStorage.setItem(hadSessionKey, "1");
  else sessionStorage.removeItem(hadSessionKey);
  session.staff = s ? s.staff : null;
  session.csrf = s ? s.csrfToken : "";
  if (s) session.idleSeconds = s.idleTimeoutSeconds;
  session.lastRequestAt = Date.now();
}

let onUnauthorized: () => void = () => {};
export function whenUnauthorized(f: () => void) {
  onUnauthorized = f;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && session.csrf) headers["X-CSRF-Token"] = session.csrf;
  session.busy++;
  let r: Response;
  try {
    r = await fetch("/api/v1" + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network", "网络连接失败，请检查网络后重试");
  } finally {
    session.busy--;
  }
  touched();
  if (r.status === 204) return undefined as T;
  const j = await r.json().catch(() => null);
  if (!r.ok) {
    const e = j && j.error;
    if (r.status === 401 && !path.startsWith("/auth/console-login")) onUnauthorized();
    throw new ApiError(r.status, e?.code ?? "", e?.message ?? `请求失败（${r.status}）`, e?.fields ?? {});
  }
  return j as T;
}

// blob downloads a file (a case document) for an inline preview.
export async function blob(path: string): Promise<Blob> {
  session.busy++;
  try {
    const r = await fetch("/api/v1" + path, { credentials: "same-origin" });
    touched();
    if (!r.ok) {
      const j = await r.json().catch(() => null);
      throw new ApiError(r.status, j?.error?.code ?? "", j?.error?.message ?? `下载失败（${r.status}）`);
    }
    return await r.blob();
  } finally {
    session.busy--;
  }
}

// fieldNames: the Chinese names of the request fields the server names in an error's fields.
export const fieldNames: Record<string, string> = {
  reason: "理由", deviationReason: "与系统测算不同的理由", monthlyCents: "月金额", oneOffCents: "一次性金额", outcome: "结论",
  category: "救助类别", memberPosition: "家庭成员", meetingRef: "一事一议纪要编号", meetingOn: "一事一议日期",
  meetingParticipants: "一事一议参会人员", effectiveMonth: "起始月份", investigators: "调查人员", visitedOn: "入户日期",
  findings: "调查情况", familyConfirmed: "家庭确认", on: "预约日期", from: "开始时间", to: "结束时间", summary: "意见", note: "说明",
  opinion: "意见", missingItems: "所缺材料", name: "名称", amountCents: "金额", how: "送达方式", resolution: "处理情况",
  objectionId: "异议", endsOn: "公示期", entries: "各类别意见", contact: "联系方式", content: "内容", username: "用户名",
  displayName: "姓名", role: "岗位", areaCode: "区划", initialPassword: "初始密码", password: "密码", officePhone: "办公电话",
  newPassword: "新密码", oldPassword: "原密码", days: "日期", source: "来源", q: "查询内容", idNumber: "身份证号",
};

// fieldLabel turns a field path of the API ("entries[2].deviationReason") into Chinese; rowName
// names the element of a list ("临时救助") where the form knows it.
export function fieldLabel(path: string, rowName?: (list: string, i: number) => string | undefined): string {
  const parts = path.split(".");
  return parts
    .map((p) => {
      const m = /^(\w+)\[(\d+)\]$/.exec(p);
      if (m) return rowName?.(m[1], Number(m[2])) ?? `${fieldNames[m[1]] || ""}第${Number(m[2]) + 1}项`;
      return fieldNames[p] || "";
    })
    .filter(Boolean)
    .join("·");
}

// Fields the message already says in words (the status of a refused step): not repeated as codes.
const silentFields = new Set(["status", "allowedActions"]);

export function errorText(e: unknown, rowName?: (list: string, i: number) => string | undefined): string {
  if (e instanceof ApiError) {
    const f = Object.entries(e.fields || {})
      .filter(([k]) => !silentFields.has(k))
      .map(([k, v]) => {
        const l = fieldLabel(k, rowName);
        return l ? `${l}：${v}` : v;
      })
      .join("；");
    return f ? `${e.message}（${f}）` : e.message;
  }
  return String(e);
}

export interface VillageItem {
  code: string;
  name: string;
  townName: string;
}
let villagesCache: Promise<VillageItem[]> | null = null;
// villages: the villages of the officer's area, by name (for pickers); loaded once per page load.
export function villages(): Promise<VillageItem[]> {
  if (!villagesCache) {
    villagesCache = api<{ items: VillageItem[] }>("GET", "/villages").then((r) => r.items).catch((e) => {
      villagesCache = null;
      throw e;
    });
  }
  return villagesCache;
}
