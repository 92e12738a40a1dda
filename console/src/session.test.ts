// Sessions that respect work (issue 22): typing counts as activity, and a reload after the
// session ended explains why the login form is back.
import { afterEach, describe, expect, it, vi } from "vitest";
import { activity, session, sessionLostMessage, setSession } from "./api";
import { flushPromises } from "@vue/test-utils";
import { stubApi } from "./test/harness";

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

const staff = { username: "town_east", displayName: "", role: "", roleLabel: "", areaCode: "", areaName: "", permissions: [], mustChangePassword: false };

describe("session", () => {
  it("keeps the session alive while the officer types, at most once a minute", async () => {
    const calls = stubApi({ "GET /auth/console-session": () => ({ csrfToken: "x", idleTimeoutSeconds: 1800, staff }) });
    setSession({ csrfToken: "x", idleTimeoutSeconds: 1800, staff });
    activity(session.lastRequestAt + 10_000); // the server heard from us 10 s ago
    expect(calls).toHaveLength(0);
    activity(session.lastRequestAt + 61_000);
    activity(session.lastRequestAt + 62_000); // one keep-alive in flight at a time
    await flushPromises();
    expect(calls.map((c) => c.path)).toEqual(["/auth/console-session"]);
  });

  it("explains a lost session after a reload, not after a logout", () => {
    setSession({ csrfToken: "x", idleTimeoutSeconds: 1800, staff });
    expect(sessionLostMessage()).toContain("登录已失效");
    setSession(null);
    expect(sessionLostMessage()).toBe("");
  });
});
