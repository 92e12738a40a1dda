import { createRouter, createWebHashHistory } from "vue-router";
import { api, session, setSession, sessionLostMessage, type ConsoleSession } from "./api";
import { loadLabels } from "./labels";
import LoginView from "./views/LoginView.vue";
import WorklistView from "./views/WorklistView.vue";
import CaseView from "./views/CaseView.vue";
const PrintCase = () => import("./views/PrintCase.vue");
const PrintNotices = () => import("./views/PrintNotices.vue");
const AdminView = () => import("./views/AdminView.vue");
// The dashboard carries ECharts: loaded when opened, not with the first page.
const DashboardView = () => import("./views/DashboardView.vue");
const SecondFactorView = () => import("./views/SecondFactorView.vue");
const AuditView = () => import("./views/AuditView.vue");
const PolicyView = () => import("./views/PolicyView.vue");
const PasswordView = () => import("./views/PasswordView.vue");
const ComplaintsView = () => import("./views/ComplaintsView.vue");

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: "/login", component: LoginView, meta: { title: "登录" } },
    { path: "/", component: WorklistView, meta: { title: "工作清单" } },
    { path: "/cases/:id", component: CaseView, props: true, meta: { title: "申请详情" } },
    { path: "/cases/:id/print/:kind", component: PrintCase, props: true, meta: { title: "打印" } },
    { path: "/print/notices", component: PrintNotices, meta: { title: "公示名单" } },
    { path: "/dashboard", component: DashboardView, meta: { title: "概况" } },
    { path: "/admin", component: AdminView, meta: { title: "系统管理" } },
    { path: "/admin/policy", component: PolicyView, meta: { title: "地区政策" } },
    { path: "/audit", component: AuditView, meta: { title: "审计日志" } },
    { path: "/second-factor", component: SecondFactorView, meta: { title: "动态验证码" } },
    { path: "/password", component: PasswordView, meta: { title: "修改密码" } },
    { path: "/complaints", component: ComplaintsView, meta: { title: "投诉处理" } },
  ],
});

// A reloaded page has no CSRF token in memory: it asks the server for the session's.
// A role that must use a second factor and has none may only enrol it.
router.beforeEach(async (to) => {
  if (to.path === "/login") return true;
  if (!session.staff) {
    try {
      setSession(await api<ConsoleSession>("GET", "/auth/console-session"));
    } catch {
      // a reload after the session ended: say why the login form is back
      const lost = sessionLostMessage();
      if (lost && !session.expiredMessage) session.expiredMessage = lost;
      return { path: "/login", query: { next: to.fullPath } };
    }
  }
  // The labels of the codes come from the server's catalogue, once per page load (a failure:
  // the codes show, and the next navigation tries again).
  await loadLabels().catch(() => {});
  // An initial (administrator-set) password opens nothing but its change.
  if (session.staff?.mustChangePassword) return to.path === "/password" ? true : { path: "/password" };
  if (session.staff?.secondFactorRequired && to.path !== "/second-factor") return { path: "/second-factor" };
  return true;
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string) || ""} · 掌上救助工作台`;
});
