import { createRouter, createWebHashHistory } from "vue-router";
import { api, session, setSession, type ConsoleSession } from "./api";
import LoginView from "./views/LoginView.vue";
import WorklistView from "./views/WorklistView.vue";
import CaseView from "./views/CaseView.vue";
import PrintCase from "./views/PrintCase.vue";
import PrintNotices from "./views/PrintNotices.vue";
import AdminView from "./views/AdminView.vue";
import DashboardView from "./views/DashboardView.vue";

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
  ],
});

// A reloaded page has no CSRF token in memory: it asks the server for the session's.
router.beforeEach(async (to) => {
  if (to.path === "/login") return true;
  if (session.staff) return true;
  try {
    setSession(await api<ConsoleSession>("GET", "/auth/console-session"));
    return true;
  } catch {
    return { path: "/login", query: { next: to.fullPath } };
  }
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string) || ""} · 掌上救助工作台`;
});
