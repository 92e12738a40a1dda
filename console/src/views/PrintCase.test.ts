// The paper a county files (issue 22): 受理通知书, 一次性告知书, 不予受理告知书 and a dated 不予批准告知书,
// 年月日 dates, signature blocks kept whole on the page.
import { afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import ElementPlus from "element-plus";
import { createMemoryHistory, createRouter } from "vue-router";
import css from "../style.css?raw";
import PrintCase from "./PrintCase.vue";
import { stubApi } from "../test/harness";
import { cnDate } from "../labels";

afterEach(() => vi.unstubAllGlobals());

const detail = {
  id: "c1", caseNo: "JZ2026120700000001", status: "returned", round: 1, areaName: "孙庄村委会", address: "孙庄村3组", reason: "",
  submittedAt: "2026-12-01T09:30:00+08:00", members: [{ position: 0, name: "孙老汉", relationLabel: "本人" }],
  categories: [{ code: "minimum_living", label: "低保", requested: true }], deciderLevel: "county",
  checklist: [
    { id: 1, name: "户口簿", status: "accepted", round: 0 },
    { id: 2, name: "医疗费用票据", note: "2026年住院部分", status: "missing", round: 1 },
  ],
  history: [
    { action: "submit", at: "2026-12-01T09:30:00+08:00" },
    { action: "return", opinion: "请补充医疗票据", at: "2026-12-02T10:00:00+08:00" },
    { action: "refuse_acceptance", opinion: "不属于本辖区户籍", at: "2026-12-03T10:00:00+08:00" },
    { action: "decide", at: "2026-12-20T16:00:00+08:00" },
  ],
  decisions: [{ category: "minimum_living", outcome: "refused", reason: "人均收入高于低保标准", round: 0 }],
  opinions: [], visits: [], dataChecks: [], notices: [], objections: [],
};

async function print(kind: string) {
  stubApi({ "GET /cases/c1": () => detail });
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: "/:p(.*)*", component: { template: "<div />" } }] });
  const w = mount(PrintCase, { props: { id: "c1", kind }, global: { plugins: [ElementPlus, router] } });
  await flushPromises();
  return w;
}

describe("PrintCase", () => {
  it("writes dates as 年月日, in China time", () => {
    expect(cnDate("2026-12-07")).toBe("2026年12月7日");
    expect(cnDate("2026-12-06T17:00:00Z")).toBe("2026年12月7日");
  });

  it("prints the one-time notice with what this round asks for", async () => {
    const w = await print("return");
    expect(w.text()).toContain("一次性告知书");
    const rows = w.findAll('[data-testid="missing-items"] tr').map((r) => r.text());
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain("医疗费用票据");
    expect(rows[1]).toContain("2026年住院部分");
    expect(w.text()).toContain("2026年12月2日");
    expect(w.text()).not.toContain("2026-12");
  });

  it("prints 受理通知书 and 不予受理告知书 with the refusal's reason", async () => {
    expect((await print("accept")).text()).toContain("受理通知书");
    const n = await print("not_accepted");
    expect(n.find('[data-testid="refusal-reason"]').text()).toBe("不属于本辖区户籍");
    expect(n.text()).toContain("行政复议");
  });

  it("dates the refusal notice with the decision and names the authority", async () => {
    const w = await print("refusal");
    expect(w.find('[data-testid="decision-date"]').text()).toBe("2026年12月20日");
    expect(w.text()).toContain("县级人民政府民政部门");
  });

  it("keeps signature blocks whole on the printed page", () => {
    expect(css).toMatch(/\.paper \.signs \{[^}]*break-inside: avoid/);
  });
});
