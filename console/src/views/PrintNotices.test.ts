// A village's public-notice list, every page of it, and several villages printed at once (one
// sheet each), dates in 年月日.
import { afterEach, describe, expect, it, vi } from "vitest";
import PrintNotices from "./PrintNotices.vue";
import { flushPromises, mountView, stubApi } from "../test/harness";

afterEach(() => vi.unstubAllGlobals());

const item = (id: string) => ({ id, nameMasked: "孙*", householdSize: 1, categories: "低保", monthlyCents: 55000, startsOn: "2026-12-08", endsOn: "2026-12-14" });

describe("PrintNotices", () => {
  it("prints every village of the area, each on its own sheet, every page", async () => {
    const calls = stubApi({
      "GET /villages": () => ({ items: [{ code: "371522106200", name: "孙庄村委会", townName: "古云镇" }, { code: "371522106001", name: "文卫社区", townName: "古云镇" }] }),
      "GET /mp/v1/villages/371522106200/notices*": (c) => (c.path.includes("cursor=")
        ? { areaName: "孙庄村委会", asOf: "", items: [item("b")] }
        : { areaName: "孙庄村委会", asOf: "", items: [item("a")], nextCursor: "next" }),
      "GET /mp/v1/villages/371522106001/notices*": () => ({ areaName: "文卫社区", asOf: "", items: [] }),
    });
    const { wrapper } = await mountView(PrintNotices, "/");
    await wrapper.find('[data-testid="show-batch"]').trigger("click");
    await flushPromises();
    const sheets = wrapper.findAll('[data-print="notices"]');
    expect(sheets.map((s) => s.find("h1").text())).toEqual(["孙庄村委会社会救助对象公示名单", "文卫社区社会救助对象公示名单"]);
    expect(sheets[0].findAll("tr")).toHaveLength(3); // the header and both pages' rows
    expect(sheets[0].text()).toContain("2026年12月8日 至 2026年12月14日");
    expect(calls.filter((c) => c.path.startsWith("/mp/v1/villages/371522106200"))).toHaveLength(2);
    wrapper.unmount();
  });
});
