// WCAG AA (4.5:1 for text under 18 pt) for the colours the console sets over Element Plus: the
// secondary (muted) text, the primary buttons' white text, the deadline colours (issue 22:
// muted text was 3.08:1 and primary buttons 2.78:1).
import { describe, expect, it } from "vitest";
import css from "./style.css?raw";

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => p - q);
  return (y + 0.05) / (x + 0.05);
}
function colourOf(re: RegExp): string {
  const m = re.exec(css);
  expect(m, `no colour for ${re}`).not.toBeNull();
  return m![1];
}

describe("contrast", () => {
  const cases: [string, RegExp, string][] = [
    ["muted text on white", /\.muted \{[^}]*color: (#[0-9a-f]{6})/, "#ffffff"],
    ["muted text on the page grey", /\.muted \{[^}]*color: (#[0-9a-f]{6})/, "#f2f3f5"],
    ["secondary text", /--el-text-color-secondary: (#[0-9a-f]{6})/, "#ffffff"],
    ["primary button under white text", /--el-color-primary: (#[0-9a-f]{6})/, "#ffffff"],
    ["overdue label", /\.due-late \{[^}]*color: (#[0-9a-f]{6})/, "#ffffff"],
    ["overdue label on an overdue row", /\.due-late \{[^}]*color: (#[0-9a-f]{6})/, "#fde2e2"],
  ];
  for (const [name, re, bg] of cases) {
    it(`${name} is at least 4.5:1`, () => {
      expect(contrast(colourOf(re), bg)).toBeGreaterThanOrEqual(4.5);
    });
  }
});
