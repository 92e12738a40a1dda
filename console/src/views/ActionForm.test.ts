import { afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import ElementPlus from "element-plus";
import ActionForm from "./ActionForm.vue";
import { stubApi } from "../test/harness";
import { session } from "../api";

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

const base = {
  id: "c1", version: 3, status: "submitted", areaCode: "371522106200", today: "2026-12-07", checklist: [], visits: [],
  allowedActions: ["return", "record_visit", "schedule_visit"], suggestedOpinion: [], deadlines: [],
};

async function open(detail: any, action: string) {
  session.staff = { username: "town_east", displayName: "古云镇经办人", role: "town_caseworker", roleLabel: "", areaCode: "", areaName: "", permissions: [], mustChangePassword: false };
  const w = mount(ActionForm, { props: { detail }, global: { plugins: [ElementPlus] }, attachTo: document.body });
  await w.find(`[data-action="${action}"]`).trigger("click");
  await flushPromises();
  return w;
}
const dialog = () => document.querySelector('[data-testid="action-dialog"]') || document.body;
async function type(testid: string, value: string) {
  const el = dialog().querySelector(`[data-testid="${testid}"] input, input[data-testid="${testid}"], [data-testid="${testid}"] textarea, textarea[data-testid="${testid}"]`) as HTMLInputElement;
  expect(el, testid).not.toBeNull();
  el.value = value;
  el.dispatchEvent(new Event("input"));
  await flushPromises();
}
async function click(testid: string) {
  (dialog().querySelector(`[data-testid="${testid}"]`) as HTMLElement).click();
  await flushPromises();
}

describe("ActionForm", () => {
  it("returns a case without a checklist with the items the officer names (退回补正, free items)", async () => {
    const calls = stubApi({ "POST /cases/c1/return": () => ({ ...base, status: "returned" }) });
    const w = await open(base, "return");
    expect(dialog().textContent).toContain("没有材料清单");
    await click("add-free-item");
    await type("free-item-0", "医疗费用票据");
    await type("free-note-0", "2026年住院部分");
    await click("submit");
    const sent = calls.find((c) => c.method === "POST");
    expect(sent?.path).toBe("/cases/c1/return");
    expect((sent?.body as any).missingItems).toEqual([{ name: "医疗费用票据", note: "2026年住院部分" }]);
    w.unmount();
  });

  it("refuses a free item without a name before sending", async () => {
    const calls = stubApi({});
    const w = await open(base, "return");
    await click("add-free-item");
    await type("free-note-0", "说明");
    await click("submit");
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
    expect(dialog().querySelector('[data-testid="action-error"]')?.textContent).toContain("材料的名称");
    w.unmount();
  });

  it("offers the investigators of the case's village by name and defaults the visit to today (China)", async () => {
    const calls = stubApi({
      "GET /investigators": () => ({ items: [
        { username: "town_east", displayName: "古云镇经办人", roleLabel: "乡镇（街道）经办人", areaCode: "371522106000" },
        { username: "town_east2", displayName: "古云镇第二经办人", roleLabel: "乡镇（街道）经办人", areaCode: "371522106000" },
      ] }),
    });
    const w = await open(base, "record_visit");
    expect(calls.find((c) => c.path.startsWith("/investigators"))?.path).toBe("/investigators?village=371522106200");
    // the first investigator is the officer, shown by name (not a username to type)
    const first = dialog().querySelector('[data-testid="investigator-0"]');
    expect(first?.textContent + (first?.querySelector("input")?.value || "")).toContain("古云镇经办人");
    const date = dialog().querySelector('[data-testid="visit-date"] input, input[data-testid="visit-date"]') as HTMLInputElement | null;
    expect(date?.value).toBe("2026-12-07"); // the server's today, not the last event
    w.unmount();
  });
});

describe("ActionForm autosave", () => {
  it("keeps 调查情况 in this browser until the visit is sent", async () => {
    localStorage.clear();
    const calls = stubApi({ "GET /investigators": () => ({ items: [] }), "POST /cases/c1/accept": () => ({ ...base, status: "accepted" }) });
    const w1 = await open(base, "record_visit");
    await type("findings", "独居，住房简陋");
    expect(localStorage.getItem("palmaid.draft.c1")).toContain("独居，住房简陋");
    w1.unmount();
    document.body.innerHTML = "";
    // a new page (after a session expiry and a new login): the text is back
    const w2 = await open(base, "record_visit");
    const findings = dialog().querySelector('[data-testid="findings"] textarea, textarea[data-testid="findings"]') as HTMLTextAreaElement;
    expect(findings.value).toBe("独居，住房简陋");
    w2.unmount();
    document.body.innerHTML = "";
    // an action sent: its text is forgotten, the key goes with the last text
    localStorage.clear();
    const w3 = await open({ ...base, allowedActions: ["accept"] }, "accept");
    await type("text", "材料齐全，予以受理");
    expect(localStorage.getItem("palmaid.draft.c1")).toContain("予以受理");
    await click("submit");
    expect(calls.some((c) => c.method === "POST" && c.path === "/cases/c1/accept")).toBe(true);
    expect(localStorage.getItem("palmaid.draft.c1")).toBeNull();
    w3.unmount();
  });
});
