import { afterEach, describe, expect, it, vi } from "vitest";
import WorklistView from "./WorklistView.vue";
import { flushPromises, mountView, stubApi } from "../test/harness";

const row = (id: string, due: string, daysLeft: number, overdue: boolean) => ({
  id, caseNo: "JZ" + id, status: "submitted", statusLabel: "待受理", categories: [], areaName: "孙庄村委会",
  applicantNameMasked: "张*", urgent: false, closeRelative: false, agentCase: false, nextDueOn: due, nextDueStep: "acceptance",
  overdue, daysLeft, dueLabel: overdue ? `已超期 ${-daysLeft} 个工作日` : `还剩 ${daysLeft} 个工作日`, submittedAt: "2026-11-20T10:00:00+08:00",
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe("WorklistView", () => {
  const routes = {
    "GET /worklists": () => ({ items: [{ list: "to_accept", count: 2 }, { list: "overdue", count: 1 }] }),
    "GET /villages": () => ({ items: [{ code: "371522106200", name: "孙庄村委会", townName: "古云镇" }] }),
    "GET /cases": () => ({ items: [row("1", "2026-11-12", -6, true), row("2", "2026-11-25", 3, false)] }),
  };

  it("opens the list a dashboard tile links to (#/?list=overdue), not the remembered one", async () => {
    sessionStorage.setItem("palmaid.worklist", JSON.stringify({ list: "to_accept" }));
    const calls = stubApi(routes);
    await mountView(WorklistView, "/?list=overdue");
    const list = calls.find((c) => c.path.startsWith("/cases?"));
    expect(list?.path).toContain("list=overdue");
  });

  it("keeps the server's order (overdue first) and shows its 还剩 N 个工作日", async () => {
    stubApi(routes);
    const { wrapper } = await mountView(WorklistView, "/");
    await flushPromises();
    const labels = wrapper.findAll('[data-testid="queue"] [data-testid="due-label"]').map((w) => w.text());
    expect(labels).toEqual(["已超期 6 个工作日", "还剩 3 个工作日"]);
    const rows = wrapper.findAll('[data-testid="queue"] .el-table__row');
    expect(rows[0].classes()).toContain("row-overdue");
    expect(rows[1].classes()).toContain("row-due-soon");
    wrapper.unmount();
  });

  it("offers the list, with its filters, as an Excel ledger", async () => {
    stubApi(routes);
    const { wrapper } = await mountView(WorklistView, "/?list=overdue");
    const href = wrapper.find('[data-testid="export"]').attributes("href");
    expect(href).toBe("/api/v1/worklist-export?list=overdue");
    wrapper.unmount();
  });
});
