// Opens /docs of a running palmaid in headless Chromium (Debian's /usr/bin/chromium — this
// script never downloads a browser) and checks that the API reference renders: palmaid's
// operations are listed, an operation's request and response schemas and error codes are
// shown, the filter works, and the page logged no error (a CSP violation included). Saves a
// screenshot.
//
//   B=http://127.0.0.1:8080 node docs.mjs            (from tests/browser, after npm ci)
//   CHROMIUM=/path/to/chromium SCREENSHOT=out.png    optional
import { chromium } from "playwright-core";

const base = process.env.B || "http://127.0.0.1:8080";
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const screenshot = process.env.SCREENSHOT || "docs.png";

function fail(msg) {
  console.error("FAIL:", msg);
  process.exitCode = 1;
}

const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("requestfailed", (r) => problems.push("request failed: " + r.url()));
  page.on("request", (r) => { if (!r.url().startsWith(base)) problems.push("request to another origin: " + r.url()); });

  const resp = await page.goto(base + "/docs", { waitUntil: "networkidle" });
  if (!resp || resp.status() !== 200) fail(`/docs answered ${resp && resp.status()}`);
  if (!(resp.headers()["content-security-policy"] || "").includes("default-src 'none'")) fail("/docs has no strict CSP");
  await page.waitForSelector("body[data-operations]", { timeout: 15000 });

  const count = Number(await page.getAttribute("body", "data-operations"));
  if (!(count >= 40)) fail(`only ${count} operations rendered`);

  const op = page.locator('article[data-operation-id="adminImportAreas"]');
  if ((await op.count()) !== 1) fail("operation adminImportAreas is not listed");
  const text = await op.innerText();
  for (const want of ["POST", "/api/v1/admin/areas/import", "请求体", "dryRun", "area.invalid_rows", "403"]) {
    if (!text.includes(want)) fail(`adminImportAreas lacks ${JSON.stringify(want)}`);
  }
  for (const id of ["staffLogin", "mpSearchVillages", "health"]) {
    if ((await page.locator(`article[data-operation-id="${id}"]`).count()) !== 1) fail(`operation ${id} is not listed`);
  }
  const errors = await page.locator("#errors tbody tr").count();
  if (errors < 30) fail(`error-code index has ${errors} rows`);

  // The filter hides what does not match.
  await page.fill("#filter", "areas/import");
  const visible = await page.locator("article.op:not(.hidden)").count();
  if (visible !== 1) fail(`filter "areas/import" leaves ${visible} operations visible`);
  await page.fill("#filter", "");

  await page.screenshot({ path: screenshot, fullPage: false });
  if (problems.length) fail(problems.join("\n"));
  if (!process.exitCode) console.log(`ok: /docs lists ${count} operations and ${errors} error codes; screenshot ${screenshot}`);
} finally {
  await browser.close();
}
