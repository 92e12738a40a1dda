// The dashboard's tiles open their lists, and the statistics export with the chosen window.
import { afterEach, describe, expect, it, vi } from "vitest";
import DashboardView from "./DashboardView.vue";
import { mountView, stubApi } from "../test/harness";

vi.mock("echarts/core", () => ({ use: () => {}, init: () => ({ setOption: () => {}, dispose: () => {} }) }));
afterEach(() => vi.unstubAllGlobals());

describe("DashboardView", () => {
  it("links each tile to its list and offers the statistics as Excel", async () => {
    stubApi({
      "GET /worklists": () => ({ items: [{ list: "overdue", count: 2 }, { list: "to_accept", count: 3 }] }),
      "GET /reminders": () => ({ items: [] }),
      "GET /stats": () => ({ days: 90, byStatus: [], byCategory: [], overdue: [], stepDays: [] }),
    });
    const { wrapper } = await mountView(DashboardView, "/");
    expect(wrapper.find('[data-testid="tile-overdue"]').attributes("href")).toContain("list=overdue");
    expect(wrapper.find('[data-testid="step-to_accept"]').attributes("href")).toContain("list=to_accept");
    expect(wrapper.find('[data-testid="stats-export"]').attributes("href")).toBe("/api/v1/stats-export?days=90");
    wrapper.unmount();
  });
});
