// The component tests' harness: a view mounted with Element Plus and a memory router, its API
// answered by a stubbed fetch (handlers by method and path), every request recorded.
import { vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import ElementPlus from "element-plus";
import { createMemoryHistory, createRouter } from "vue-router";
import type { Component } from "vue";

export interface Call {
  method: string;
  path: string;
  body: unknown;
}
export type Handler = (call: Call) => { status?: number; body?: unknown } | unknown;

// stubApi answers fetch("/api/v1/…") from routes ("GET /cases" matches any query); an
// unknown path answers 404. It returns the list of calls made.
export function stubApi(routes: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
    const method = init.method || "GET";
    const path = url.replace(/^\/api\/v1/, "");
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    const call = { method, path, body };
    calls.push(call);
    const key = Object.keys(routes).find((k) => {
      const [m, p] = k.split(" ");
      return m === method && (path === p || path.startsWith(p + "?") || (p.endsWith("*") && path.startsWith(p.slice(0, -1))));
    });
    if (!key) return new Response(JSON.stringify({ error: { code: "not_found", message: "不存在" } }), { status: 404 });
    const out = routes[key](call) as { status?: number; body?: unknown } | undefined;
    // { status, body } (only those keys, a numeric status) is an answer; anything else the body
    const spec = !!out && typeof out === "object" && typeof out.status === "number" && Object.keys(out).every((k) => k === "status" || k === "body");
    const status = spec ? out!.status! : 200;
    const payload = spec ? out!.body : out;
    if (status === 204) return new Response(null, { status });
    return new Response(JSON.stringify(payload ?? {}), { status, headers: { "Content-Type": "application/json" } });
  });
  return calls;
}

// mountView mounts a routed view at path (e.g. "/?list=overdue") and waits for its first loads.
export async function mountView(view: Component, path = "/", props: Record<string, unknown> = {}) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: "/", component: view },
      { path: "/cases/:id", component: { template: "<div />" } },
      { path: "/:rest(.*)*", component: { template: "<div />" } },
    ],
  });
  await router.push(path);
  await router.isReady();
  const wrapper = mount(view, { props, global: { plugins: [ElementPlus, router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

export { flushPromises };
