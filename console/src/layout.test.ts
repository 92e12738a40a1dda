// Loading skeletons and tablet layouts (issue 22: a slow case load showed a blank page; at 768 px
// the top bar broke mid-word; at 1366 px the worklist tabs wrapped).
import { afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import ElementPlus from "element-plus";
import { createMemoryHistory, createRouter } from "vue-router";
import css from "./style.css?raw";
import CaseView from "./views/CaseView.vue";

afterEach(() => vi.unstubAllGlobals());

describe("layout", () => {
  it("shows a skeleton while a case loads", async () => {
    vi.stubGlobal("fetch", () => new Promise(() => {})); // a slow server
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: "/:p(.*)*", component: { template: "<div />" } }] });
    const w = mount(CaseView, { props: { id: "c1" }, global: { plugins: [ElementPlus, router] } });
    await flushPromises();
    expect(w.find('[data-testid="case-skeleton"]').exists()).toBe(true);
    w.unmount();
  });

  it("wraps the top bar between links, never inside one, and keeps the worklist tabs on one line", () => {
    expect(css).toMatch(/\.topbar \{[^}]*flex-wrap: wrap/);
    expect(css).toMatch(/\.topbar a, \.topbar span \{[^}]*white-space: nowrap/);
    expect(css).not.toMatch(/\.topbar \{[^}]*[^-]height: 52px/);
    expect(css).toMatch(/@media \(max-width: 1024px\)/);
    expect(css).toMatch(/\.worklist-tabs \.el-radio-group \{[^}]*flex-wrap: nowrap/);
  });
});
