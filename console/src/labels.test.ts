// The console takes its labels from the server's catalogue (GET /api/v1/labels) and keeps no
// copy of its own (issue 22: labels lived in four layers; 支出型困难家庭 on one page and
// 因病致贫重病患者 on another).
import { afterEach, describe, expect, it, vi } from "vitest";
import source from "./labels.ts?raw";
import { auditActionLabel, categoryLabels, categoryOrder, checkLabel, loadLabels, statusLabels, worklistLabels } from "./labels";
import { stubApi } from "./test/harness";

afterEach(() => vi.unstubAllGlobals());

const catalogue = {
  statuses: [{ code: "submitted", label: "待受理（服务端）" }],
  categories: [{ code: "minimum_living", label: "最低生活保障" }, { code: "illness_poverty", label: "因病致贫重病患者" }],
  worklists: [{ code: "overdue", label: "已超期" }],
  steps: [], actions: [{ code: "accept", label: "受理" }], auditActions: [{ code: "case.view", label: "查看申请" }],
  emergencyKinds: [], checkOutcomes: [{ code: "negative", label: "结果异常" }], decisionOutcomes: [], deadlineStates: [],
  noticeStates: [], roles: [], relations: [], settings: [],
};

describe("labels", () => {
  it("are the server's catalogue", async () => {
    const calls = stubApi({ "GET /labels": () => catalogue });
    await loadLabels();
    await loadLabels(); // once per page load
    expect(calls.filter((c) => c.path === "/labels")).toHaveLength(1);
    expect(statusLabels.submitted).toBe("待受理（服务端）");
    expect(categoryLabels.illness_poverty).toBe("因病致贫重病患者");
    expect(categoryOrder).toEqual(["minimum_living", "illness_poverty"]);
    expect(worklistLabels.overdue).toBe("已超期");
    expect(auditActionLabel("case.accept")).toBe("受理");
    expect(auditActionLabel("case.view.denied")).toContain("查看申请");
    expect(checkLabel({ status: "completed", outcome: "negative" })).toBe("已完成，结果异常");
  });

  it("are not copied into the console", () => {
    for (const copied of ["调查核对中", "支出型困难家庭", "待送达不予批准告知", "审核确认中", "县级民政经办人", "重置动态验证码"]) {
      expect(source, copied).not.toContain(copied);
    }
  });
});
