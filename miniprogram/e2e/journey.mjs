// The mini-program's H5 build in headless Chromium against a real palmaid (embedded mode: demo
// data, WeChat simulator, /dev routes). Debian's chromium via playwright-core; no browser is
// downloaded. The staff's steps go through the staff API, as the walkthroughs do.
//
//   B=http://127.0.0.1:8080 node e2e/journey.mjs        (after npm run build:h5)
//   ARTIFACTS=dir   where the screenshots go (default e2e/artifacts)
//   DOCS_SHOTS=dir  also copy the README's screenshots there
//
// Journeys: the daughter logs in, registers her identity, reads the policy guide, runs the
// self-check, reads the one-time list, declares her mother's household in a guided draft
// (resumed after leaving), has an upload refused for its type on the device, uploads the
// diagnosis, sees every gap named, invites her mother; the mother (in care mode) logs in,
// registers and confirms; the daughter submits (a double tap submits once); the town rejects the
// diagnosis and returns the case; the daughter uploads a new one and resubmits; the case goes
// through investigation, notice (a neighbour objects; the town finds nothing) and decision; the
// daughter sees the decision, 我的保障 and 发放记录, rates the service, reads her messages, files a
// complaint and downloads her data; the mother sees the case too. Other families: a mother takes
// her son's application over from her own phone and withdraws it; a father with no phone confirms
// on paper; the neighbour deletes her account. Each form is checked for screen-reader names.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { start } from './serve.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const B = (process.env.B || 'http://127.0.0.1:8080').replace(/\/$/, '')
const ART = process.env.ARTIFACTS || path.join(here, 'artifacts')
const DOCS = process.env.DOCS_SHOTS || ''
const PASSWORD = 'palmaid-demo-2026'
const RUN = String(Date.now()).slice(-7) + String(Math.floor(Math.random() * 100))
fs.mkdirSync(ART, { recursive: true })
if (DOCS) fs.mkdirSync(DOCS, { recursive: true })

let step = 0
const log = (s) => console.log(`== ${++step}. ${s}`)
function fail(msg) {
  throw new Error(msg)
}

// ---- the API, for the staff's steps and the simulator's settings ----
async function api(method, p, tok, body, want) {
  for (let tries = 0; ; tries++) {
    const r = await fetch(B + p, { method, headers: { ...(tok ? { Authorization: 'Bearer ' + tok } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined })
    const text = await r.text()
    if (r.status === 429 && want !== 429 && tries < 3) {
      await new Promise((res) => setTimeout(res, 1000 * Number(r.headers.get('retry-after') || 5)))
      continue
    }
    console.log(`   ${method} ${p} -> ${r.status}`)
    if (want && r.status !== want) fail(`${method} ${p} answered ${r.status}, expected ${want}: ${text}`)
    return text ? JSON.parse(text) : null
  }
}
const staff = async (u) => (await api('POST', '/api/v1/auth/login', '', { username: u, password: PASSWORD }, 200)).token
/** A resident logged in through the simulator (the same WeChat name the login page takes), identity registered. */
async function resident(login, name, idNumber) {
  const tok = (await api('POST', '/mp/v1/auth/login', '', { code: 'dev:' + login }, 200)).token
  if (name) await api('PUT', '/mp/v1/me/identity', tok, { name, idNumber }, 200)
  return tok
}
async function uploadAPI(tok, caseId, itemId) {
  const fd = new FormData()
  fd.append('file', new Blob([pdf], { type: 'application/pdf' }), '证明.pdf')
  const r = await fetch(`${B}/mp/v1/cases/${caseId}/items/${itemId}/documents`, { method: 'POST', body: fd, headers: { Authorization: 'Bearer ' + tok } })
  console.log(`   POST /mp/v1/cases/${caseId}/items/${itemId}/documents -> ${r.status}`)
  if (r.status !== 201) fail('upload answered ' + r.status + ': ' + (await r.text()))
}
/** A household of one: the person the application is for (relation self), rural, a small pension. */
const soloFacts = (name, idNumber) => ({ residence: 'rural', members: [{ relation: 'self', name, idNumber, hukouType: 'local', health: 'chronic', workAbility: 'partial', employment: 'farming' }],
  income: [{ member: 0, kind: 'pension', amountCents: 15000, period: 'monthly', source: '城乡居民养老保险' }], assets: { declared: true, depositCents: 200000 }, noSupporters: true, essentialSpendingCents: 500000 })
const VILLAGE = '371522106200' // 古云镇 孙庄村委会
/** Screen-reader check: every text field and switch on the visible screen has an accessible name. */
async function named(page, what) {
  const nameless = await cur(page).locator('input, textarea, [role="switch"], [role="checkbox"], [role="radio"], [role="button"]').evaluateAll((els) =>
    els.filter((e) => e.getClientRects().length).filter((e) => {
      const n = (e.getAttribute('aria-label') || (e.labels && e.labels.length ? e.labels[0].textContent : '') || (e.getAttribute('aria-labelledby') ? 'x' : '') || (e.matches('input, textarea') ? '' : e.textContent) || '').trim()
      return !n
    }).map((e) => e.outerHTML.slice(0, 120)))
  if (nameless.length) fail(`${what}: ${nameless.length} controls without a name for screen readers: ${nameless.join(' | ')}`)
}

/** A checksum-valid ID number (GB 11643) in the demo county, born on `birth` (YYYYMMDD), unique per run. */
function idnum(birth) {
  const body = ('990101' + birth + String(Number(RUN.slice(-3)) % 1000).padStart(3, '0')).slice(0, 17)
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let s = 0
  for (let i = 0; i < 17; i++) s += Number(body[i]) * w[i]
  return body + '10X98765432'[s % 11]
}

// ---- the page ----
const cur = (page) => page.locator('.taro_page').filter({ visible: true })
const field = (page, label) => cur(page).locator('.field').filter({ has: page.locator('.field-label', { hasText: new RegExp('^' + label + '$') }) }).locator('input, textarea').first()
async function fill(page, label, value) {
  await field(page, label).fill(value)
}
async function tap(page, text, opts = {}) {
  const l = cur(page).getByText(text, { exact: opts.exact ?? true })
  const t = opts.last ? l.last() : l.first()
  await t.waitFor({ state: 'visible', timeout: 15000 })
  // A NutUI button's text lies under the button itself, which takes the tap: tap the button.
  const btn = cur(page).locator('.nut-button').filter({ has: page.getByText(text, { exact: opts.exact ?? true }) })
  await ((await btn.count()) ? btn.first() : t).click()
}
async function see(page, text, timeout = 15000) {
  await cur(page).getByText(text).first().waitFor({ state: 'visible', timeout })
}
/** The screen as it is, then the same screen with care mode switched the other way and back (docs: both also go to DOCS_SHOTS). */
async function shot(page, name, docs = false) {
  await page.waitForTimeout(300)
  const file = path.join(ART, name + '.png')
  await page.screenshot({ path: file, fullPage: false })
  if (docs && DOCS) fs.copyFileSync(file, path.join(DOCS, name + '.png'))
  const sw = cur(page).locator('.care-switch')
  const care = (await sw.getAttribute('aria-checked')) === 'true'
  await sw.click()
  await cur(page).locator(`.care-switch[aria-checked="${!care}"]`).waitFor()
  await page.waitForTimeout(200)
  const other = `${name}-${care ? 'normal' : 'care'}.png`
  await page.screenshot({ path: path.join(ART, other), fullPage: false })
  if (docs && DOCS) fs.copyFileSync(path.join(ART, other), path.join(DOCS, other))
  await sw.click()
  await cur(page).locator(`.care-switch[aria-checked="${care}"]`).waitFor()
}
async function chooseVillage(page) {
  await cur(page).locator('input[placeholder^="输入村（社区）名称"]').fill('孙庄')
  await tap(page, '查找')
  await tap(page, '古云镇 孙庄村委会')
}

const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n')
const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'binary')

async function upload(page, itemName, file, sent = true) {
  const card = cur(page).locator('.card').filter({ has: page.locator('.card-title', { hasText: itemName }) }).first()
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), card.locator('.nut-button', { hasText: '拍照或选择文件上传' }).click()])
  await chooser.setFiles(file)
  if (sent) {
    // Settled when the screen shows the server's record of the file (its list of documents, read
    // again after the upload) and the upload button is free again: the page then holds the
    // case's new version. (The phone's own "上传成功" note comes earlier and is not waited for:
    // acting on it sent the old version, the flaky step after an upload.)
    await card.locator('.muted', { hasText: '已上传：' + file.name }).first().waitFor({ state: 'visible', timeout: 15000 })
    await cur(page).locator('.nut-button-loading').first().waitFor({ state: 'detached', timeout: 15000 })
  }
  return card
}

const server = await start({ backend: B, root: process.env.H5_DIST || undefined })
const H5 = server.url
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] })
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }
let ok = false
try {
  const MOTHER_ID = idnum('19480612')
  const DAUGHTER_ID = idnum('19760903')
  const daughterCtx = await browser.newContext(phone)
  const d = await daughterCtx.newPage()
  const errors = []
  d.on('pageerror', (e) => errors.push(e.message))
  const requests = []
  d.on('request', (r) => requests.push(r.method() + ' ' + new URL(r.url()).pathname))

  log('the daughter opens the mini-program and logs in (WeChat simulator)')
  await d.goto(H5 + '/')
  await see(d, '政策指南：哪些情况可以申请')
  await shot(d, '01-home', true)
  await tap(d, '登录后申请或查看进度')
  await fill(d, '测试微信号', `e2e-daughter-${RUN}`)
  await tap(d, '模拟微信登录')
  await see(d, '第一步：登记真实姓名和身份证号')

  log('she registers her real name and ID number; a mistyped number is caught on the phone')
  await tap(d, '第一步：登记真实姓名和身份证号')
  await named(d, 'the identity form')
  await fill(d, '真实姓名', '李小红')
  const bad = DAUGHTER_ID.slice(0, 16) + String((Number(DAUGHTER_ID[16]) + 1) % 10) + DAUGHTER_ID[17]
  await fill(d, '身份证号', bad)
  const before = requests.length
  await tap(d, '提交实名信息')
  await see(d, '身份证号有误')
  if (requests.slice(before).some((r) => r.includes('/me/identity'))) fail('a wrong ID number was sent to the server')
  await fill(d, '身份证号', DAUGHTER_ID)
  await tap(d, '提交实名信息')
  await see(d, '已登记：李*红')
  await see(d, '已通过微信实名核验')
  await shot(d, '02-identity')

  log('the policy guide of her mother\'s village, no login needed')
  await d.goto(H5 + '/#/pages/policy/index')
  await chooseVillage(d)
  await see(d, '低保（按户）')
  await see(d, '申请条件：')
  await shot(d, '03-policy')

  log('the self-check with its explanation')
  await d.goto(H5 + '/#/pages/selfcheck/index')
  await chooseVillage(d)
  await fill(d, '要申请的人的出生日期', '1948-06-12')
  await tap(d, '患重病')
  await tap(d, '肢体')
  await tap(d, '二级')
  await tap(d, '不能劳动')
  await fill(d, '全家每月收入合计（元）', '150')
  await fill(d, '全家存款（元）', '3000')
  await tap(d, '开始测算')
  await see(d, '仅供参考')
  await see(d, '特困：可能符合')
  await shot(d, '04-selfcheck')

  log('the one-time list before applying: what she must bring, what the government fetches itself')
  await d.goto(H5 + '/#/pages/checklist/index')
  await chooseVillage(d)
  await tap(d, '替家人申请')
  await tap(d, '患重病')
  await tap(d, '看看要准备什么')
  await see(d, '代办委托书（授权书）')
  await see(d, '无需提供（由公安户籍数据共享获取）', 5000).catch(() => see(d, '户口簿：无需提供'))
  await shot(d, '05-checklist')

  log('she starts the application for her mother: who, where, which aid')
  await d.goto(H5 + '/')
  await tap(d, '我要申请（可替家人申请）')
  await see(d, '第1步：为谁申请')
  await fill(d, '申请救助的人（如母亲）的姓名', '王秀英')
  await fill(d, '他（她）的身份证号', MOTHER_ID)
  await chooseVillage(d)
  await fill(d, '家庭住址', '孙庄村2组6号')
  await fill(d, '申请理由（可不填）', '母亲年老残疾，收入很低')
  await shot(d, '06-apply-start')
  await tap(d, '保存，下一步')
  await see(d, '一起生活的家庭成员和户籍')
  await see(d, '这一步还缺：')
  await tap(d, '户口在本地')
  await tap(d, '保存，下一步')

  log('health and disability, work, income, assets — each step saved on the server')
  await see(d, '每个人的健康和残疾情况')
  await tap(d, '患重病')
  await fill(d, '患的什么病', '慢性肾衰竭')
  await tap(d, '肢体')
  await tap(d, '二级')
  await shot(d, '07-apply-health')
  await named(d, 'the health step')

  log('her session ends before she saves: she logs in again and nothing she typed is lost')
  await d.evaluate(async () => {
    const t = JSON.parse(localStorage.getItem('palmaid.token')).data
    await fetch('/mp/v1/auth/logout', { method: 'POST', headers: { Authorization: 'Bearer ' + t } })
  })
  await tap(d, '保存，下一步')
  await see(d, '登录已过期')
  await fill(d, '测试微信号', `e2e-daughter-${RUN}`)
  await tap(d, '模拟微信登录')
  await see(d, '已恢复您上次没有保存的填写内容')
  await see(d, '每个人的健康和残疾情况')
  if ((await field(d, '患的什么病').inputValue()) !== '慢性肾衰竭') fail('the typed illness was lost with the session')
  await tap(d, '保存，下一步')
  await see(d, '每个人能不能劳动、做什么工作')
  await tap(d, '不能劳动')
  await tap(d, '没有工作')
  await tap(d, '保存，下一步')
  await see(d, '添加一项收入')
  await tap(d, '农村')
  await tap(d, '每年')
  await fill(d, '金额（元）', '1800')
  await fill(d, '谁发的（可不填）', '城乡居民养老保险')
  await tap(d, '添加这项收入')
  await see(d, '王秀英：养老金 每年 1800.00元')
  await tap(d, '保存，下一步')
  await see(d, '全家的财产')
  await fill(d, '存款合计（元）', '3000')
  await tap(d, '以上是全家财产的真实情况')
  await tap(d, '保存，下一步')
  await see(d, '材料（一次告知）')
  const caseId = new URL(d.url().replace('#/', '')).searchParams.get('id') || (await (async () => {
    const list = await d.evaluate(async () => (await fetch('/mp/v1/cases', { headers: { Authorization: 'Bearer ' + JSON.parse(localStorage.getItem('palmaid.token')).data } })).json())
    return list.items[0].id
  })())
  if (!caseId) fail('no case id')

  log('she leaves and comes back: the draft opens where she stopped')
  await d.goto(H5 + '/#/pages/cases/index')
  await see(d, '草稿（未提交）')
  await tap(d, '接着填写')
  await see(d, '材料（一次告知）')

  log('an upload refused for its type, on the phone, before anything is sent')
  const diagName = await cur(d).locator('.card-title', { hasText: '诊断' }).first().textContent()
  const sent = requests.length
  const card = await upload(d, diagName, { name: '诊断证明.gif', mimeType: 'image/gif', buffer: gif }, false)
  await card.getByText('只能上传照片（JPG、PNG）或 PDF 文件').first().waitFor()
  if (requests.slice(sent).some((r) => r.includes('/documents'))) fail('a refused file was sent to the server')
  await shot(d, '08-upload-refused', true)
  log('the diagnosis (a PDF) is uploaded; the receipts too')
  await upload(d, diagName, { name: '诊断证明.pdf', mimeType: 'application/pdf', buffer: pdf })
  await see(d, '已上传：诊断证明.pdf')
  const receipts = await cur(d).locator('.card-title', { hasText: '票据' }).first().textContent()
  await upload(d, receipts, { name: '票据.pdf', mimeType: 'application/pdf', buffer: pdf })
  await see(d, '已上传：票据.pdf')

  log('before submitting, every gap is named: her mother has not confirmed yet')
  await tap(d, '保存，下一步')
  await see(d, '提交前还需要完成这些')
  await see(d, '尚未确认授权')
  const submitBtn = cur(d).locator('.nut-button', { hasText: '提交申请' })
  if (!(await submitBtn.getAttribute('class')).includes('disabled')) fail('submit is enabled with gaps left')
  await shot(d, '09-gaps-named', true)

  log('she invites her mother (the H5 build shows the link WeChat would share)')
  await tap(d, '7.材料和确认')
  await see(d, '家人确认（诚信承诺和核对授权）')
  await tap(d, '邀请王*英用自己的微信确认')
  await see(d, '邀请已生成')
  const link = (await cur(d).locator('.share').textContent()).trim()
  if (!link.includes('#/pages/consent/index?t=')) fail('no invitation link: ' + link)
  await shot(d, '10-invitation')

  log('the mother opens the link on her own phone, in care mode: logs in, registers, confirms')
  const motherCtx = await browser.newContext(phone)
  const m = await motherCtx.newPage()
  m.on('pageerror', (e) => errors.push(e.message))
  await m.goto(H5 + '/')
  await see(m, '政策指南：哪些情况可以申请')
  const normal = await cur(m).locator('.nut-button').first().boundingBox()
  const normalFont = await cur(m).locator('.note').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
  await cur(m).locator('.care-switch').click()
  await see(m, '大字模式：开')
  const large = await cur(m).locator('.nut-button').first().boundingBox()
  const largeFont = await cur(m).locator('.note').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
  console.log(`   care mode: text ${normalFont}px → ${largeFont}px, button height ${normal.height}px → ${large.height}px`)
  if (!(largeFont >= normalFont * 1.3)) fail('care mode does not enlarge the text')
  if (!(large.height >= 48)) fail(`care mode buttons are ${large.height}px high`)
  await shot(m, '11-care-mode-home')
  await m.goto(link.replace(/^https?:\/\/[^/]+/, H5))
  await see(m, '测试微信号')
  await fill(m, '测试微信号', `e2e-mother-${RUN}`)
  await tap(m, '模拟微信登录')
  await see(m, '需要登记本人的真实姓名和身份证号')
  await see(m, '大字模式：开')
  await fill(m, '真实姓名', '王秀英')
  await fill(m, '身份证号', MOTHER_ID)
  await tap(m, '提交实名信息')
  await see(m, '请仔细读一读')
  await see(m, '为您家申请了低保')
  await tap(m, '我承诺申请中填写的情况真实')
  await tap(m, '我同意民政部门核对我的收入和财产')
  await shot(m, '12-mother-confirms-care-mode', true)
  await tap(m, '我确认')
  await see(m, '已确认，谢谢您')

  log('the daughter submits: offline first (told so, nothing lost), then the answer is lost on the way back, and a double tap sends one submission')
  await d.reload()
  await see(d, '材料（一次告知）')
  await tap(d, '保存，下一步')
  await see(d, '信息已经齐全，可以提交')
  const submitVersion = (await d.evaluate(async (id) => (await fetch('/mp/v1/cases/' + id, { headers: { Authorization: 'Bearer ' + JSON.parse(localStorage.getItem('palmaid.token')).data } })).json(), caseId)).version
  await tap(d, '我承诺所填写的情况真实、完整，如有隐瞒愿承担责任（诚信承诺）')
  await tap(d, '我同意民政部门核对家庭收入和财产情况（核对授权）')
  // No signal at the first tap: the phone says so and keeps everything; then a double tap.
  const submitKeys = []
  const keyOf = (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === `/mp/v1/cases/${caseId}/submit`) submitKeys.push(r.headers()['idempotency-key'] || '') }
  d.on('request', keyOf)
  await daughterCtx.setOffline(true)
  await tap(d, '提交申请')
  await see(d, '网络不通或信号较弱')
  await shot(d, '15-offline')
  await daughterCtx.setOffline(false)
  // Then the weak signal of a lift: the submission reaches the server, its answer never comes back.
  let lost = 0
  await d.route('**/mp/v1/cases/*/submit', async (route) => {
    await route.fetch()
    lost++
    await route.abort('connectionreset')
  })
  const n0 = requests.length
  await cur(d).locator('.nut-button', { hasText: '提交申请' }).dblclick()
  await see(d, '申请已提交')
  await d.unroute('**/mp/v1/cases/*/submit')
  d.off('request', keyOf)
  const submits = requests.slice(n0).filter((r) => r === `POST /mp/v1/cases/${caseId}/submit`).length
  if (submits !== 1) fail(`${submits} submit requests for one double tap`)
  if (lost !== 1) fail(`the lost answer was not simulated (${lost})`)
  if (!submitKeys.length || !/^[A-Za-z0-9_-]{8,64}$/.test(submitKeys[0]) || submitKeys.some((k) => k !== submitKeys[0])) fail('the submit attempts did not carry one Idempotency-Key: ' + JSON.stringify(submitKeys))
  // The server answers the same key again with the submitted case (200), not a conflict.
  const replay = await d.evaluate(async ([id, key, version]) => {
    const r = await fetch(`/mp/v1/cases/${id}/submit`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, Authorization: 'Bearer ' + JSON.parse(localStorage.getItem('palmaid.token')).data }, body: JSON.stringify({ version, pledgeAccepted: true, authorizationAccepted: true }) })
    return r.status
  }, [caseId, submitKeys[0], submitVersion])
  if (replay !== 200) fail(`the same Idempotency-Key answered ${replay}, want 200`)
  const timeline = await d.evaluate(async (id) => (await fetch('/mp/v1/cases/' + id, { headers: { Authorization: 'Bearer ' + JSON.parse(localStorage.getItem('palmaid.token')).data } })).json(), caseId)
  if (timeline.timeline.filter((t) => t.action === 'submit').length !== 1) fail('the case was submitted more than once: ' + JSON.stringify(timeline.timeline))
  await see(d, '现在需要您做什么')
  await shot(d, '13-submitted')

  log('the town rejects the diagnosis (too old) and returns the case (staff API)')
  let east = await staff('town_east')
  let c = await api('GET', `/api/v1/cases/${caseId}`, east, null, 200)
  const diag = c.checklist ? c.checklist.find((i) => (i.code || '').startsWith('diagnosis_certificate')) : null
  const mine = await d.evaluate(async (id) => (await fetch('/mp/v1/cases/' + id, { headers: { Authorization: 'Bearer ' + JSON.parse(localStorage.getItem('palmaid.token')).data } })).json(), caseId)
  const diagItem = diag || mine.application.checklist.find((i) => (i.code || '').startsWith('diagnosis_certificate'))
  c = await api('POST', `/api/v1/cases/${caseId}/items/${diagItem.id}/review`, east, { version: c.version, accepted: false, reason: '诊断证明已超过6个月' }, 200)
  c = await api('POST', `/api/v1/cases/${caseId}/return`, east, { version: c.version, opinion: '请补充', missingItems: [{ name: diagItem.name, note: '6个月内开具' }] }, 200)

  log('the daughter sees what to do, uploads a new diagnosis and resubmits')
  await d.reload()
  await see(d, '乡镇（街道）请您补充材料')
  await see(d, '未通过的原因：诊断证明已超过6个月')
  await shot(d, '14-returned', true)
  const rcard = cur(d).locator('.card .card').filter({ hasText: '未通过的原因' }).first()
  const rname = await rcard.locator('.card-title').textContent()
  await upload(d, rname, { name: '新诊断证明.pdf', mimeType: 'application/pdf', buffer: pdf })
  await see(d, '已上传：新诊断证明.pdf')
  await fill(d, '给工作人员的说明（可不填）', '已补充6个月内的诊断证明')
  await tap(d, '补齐了，重新提交')
  await see(d, '补正后重新提交')

  log('accepted, investigated, opinion, seven days of notice, decision (staff API)')
  await api('POST', '/dev/v1/data-check/answers', '', { idNumber: MOTHER_ID, negative: false }, 204)
  c = await api('GET', `/api/v1/cases/${caseId}`, east, null, 200)
  c = await api('POST', `/api/v1/cases/${caseId}/accept`, east, { version: c.version, opinion: '材料齐全，予以受理' }, 200)
  await api('POST', '/dev/v1/notify/run', '', null, 200)
  await d.reload()
  await see(d, '各环节的办理期限')
  await see(d, '负责办理的工作人员')
  await shot(d, '15-progress-due-dates')
  const county = await staff('county')
  c = await api('POST', `/api/v1/cases/${caseId}/start-investigation`, east, { version: c.version }, 200)
  c = await api('POST', `/api/v1/cases/${caseId}/data-check`, county, { version: c.version, summary: '收入、财产核对未见异常' }, 200)
  const today = c.history[c.history.length - 1].at.slice(0, 10)
  c = await api('POST', `/api/v1/cases/${caseId}/visits`, east, { version: c.version, visitedOn: today, investigators: ['town_east', 'county2'], findings: '老人独居，住房简陋', familyConfirmed: true }, 200)
  c = await api('GET', `/api/v1/cases/${caseId}`, east, null, 200)
  const sugg = (c.suggestedOpinion || []).find((s) => s.category === 'minimum_living' && s.memberPosition == null)
  const amount = sugg && sugg.monthlyCents > 0 ? sugg.monthlyCents : 50000
  const others = ['extreme_hardship', 'temporary_aid', 'edge_household', 'illness_poverty'].map((k) => ({ category: k, outcome: 'not_applicable' }))
  // The engine may suggest otherwise (a 78-year-old alone may fit 特困 better): the town then gives its reason.
  const first = { category: 'minimum_living', outcome: 'approved', monthlyCents: amount }
  const deviates = !sugg || sugg.outcome !== 'approved' || sugg.monthlyCents !== amount
  const entries = [first, ...others]
  c = await api('POST', `/api/v1/cases/${caseId}/opinion`, east, { version: c.version, summary: '符合低保条件', entries: [deviates ? { ...first, deviationReason: '经入户调查，女儿定期赡养，按低保办理' } : first, ...others] }, 200)
  c = await api('POST', `/api/v1/cases/${caseId}/notice`, east, { version: c.version }, 200)

  log('the village notice board shows the household, name masked (no login needed)')
  await d.goto(H5 + '/#/pages/notices/index')
  await chooseVillage(d)
  await see(d, '王*英')
  await see(d, '对这户提出异议')
  await shot(d, '18-notice-board')

  log('a neighbour objects on the board (logged in, identity registered); the town looks into it and finds nothing')
  const NEIGHBOUR_ID = idnum('19650420')
  await resident(`e2e-neighbour-${RUN}`, '孙桂兰', NEIGHBOUR_ID)
  const nCtx = await browser.newContext(phone)
  const n = await nCtx.newPage()
  n.on('pageerror', (e) => errors.push(e.message))
  await n.goto(H5 + '/#/pages/login/index')
  await fill(n, '测试微信号', `e2e-neighbour-${RUN}`)
  await tap(n, '模拟微信登录')
  await see(n, '我要申请（可替家人申请）')
  await n.goto(H5 + '/#/pages/notices/index')
  await chooseVillage(n)
  const board = cur(n).locator('.card').filter({ has: n.locator('.card-title', { hasText: '王*英' }) }).first()
  await board.getByText('对这户提出异议').click()
  await fill(n, '异议内容', '听说她女儿在城里开店，收入不低')
  await fill(n, '联系电话（便于核实回复）', '13800000000')
  await named(n, 'the objection form')
  await tap(n, '提交异议（实名）')
  await board.getByText('您的异议已登记').waitFor()
  await shot(n, '19-objection')
  c = await api('GET', `/api/v1/cases/${caseId}`, east, null, 200)
  const objection = (c.objections || []).find((o) => o.status === 'pending')
  if (!objection) fail('the objection did not reach the town: ' + JSON.stringify(c.objections))
  c = await api('POST', `/api/v1/cases/${caseId}/objections/resolve`, east, { version: c.version, objectionId: objection.id, upheld: false, resolution: '经核实，女儿的店已于去年关闭' }, 200)
  await api('POST', '/dev/v1/clock/advance', '', { days: 8 }, 200)
  east = await staff('town_east')
  const countyAgain = await staff('county')
  c = await api('POST', `/api/v1/cases/${caseId}/notice/close`, east, { version: c.version }, 200)
  c = await api('POST', `/api/v1/cases/${caseId}/decision`, countyAgain, { version: c.version, note: '同意', entries }, 200)
  await api('POST', '/dev/v1/notify/run', '', null, 200)

  log('the daughter sees the decision and its amount, every step, and her messages')
  // Eight days passed on the server's clock: her session may have ended; logging in again keeps everything.
  await d.goto(H5 + '/#/pages/case/detail?id=' + caseId)
  if (await cur(d).getByText('模拟微信登录').count()) {
    await fill(d, '测试微信号', `e2e-daughter-${RUN}`)
    await tap(d, '模拟微信登录')
  }
  await see(d, '审核结果')
  await see(d, '低保：批准')
  await see(d, `每月 ${(amount / 100).toFixed(2)}元`)
  await shot(d, '16-decision', true)

  log('from the decision she opens 我的保障: the monthly amount and how it is made up, since when, the account, the next review')
  await tap(d, '查看我的保障和每月发放记录')
  await see(d, '（王*英）')
  await see(d, `每月 ${(amount / 100).toFixed(2)}元`)
  await see(d, '起发放')
  await see(d, '下次核查：')
  await named(d, 'my benefits')
  await shot(d, '21-benefit', true)
  await tap(d, '每月发放记录')
  await see(d, '还没有发放记录')
  await shot(d, '22-payments')

  log('she rates the service, and sees her rating on the case')
  await d.goto(H5 + '/#/pages/case/detail?id=' + caseId)
  await see(d, '评价这次办理（好差评）')
  await tap(d, '满意')
  await fill(d, '想说的话（可不填）', '工作人员很耐心')
  await named(d, 'the rating form')
  await tap(d, '提交评价')
  await see(d, '您的评价：满意')
  await shot(d, '23-rated')

  await d.goto(H5 + '/#/pages/messages/index')
  await see(d, '审核')
  await shot(d, '17-messages')

  log('she files a complaint about the case and sees it waiting for an answer')
  await d.goto(H5 + '/#/pages/me/index')
  await see(d, '投诉和建议')
  await tap(d, '低保（已办结）', { exact: false })
  await fill(d, '投诉内容', '入户调查时工作人员没有出示证件')
  await tap(d, '提交投诉')
  await see(d, '等待答复')
  await shot(d, '20-complaint')

  log('she downloads a copy of her data')
  const [download] = await Promise.all([d.waitForEvent('download'), tap(d, '下载我的数据副本')])
  await see(d, '已生成您的数据副本')
  const copy = JSON.parse(fs.readFileSync(await download.path(), 'utf8'))
  if (!JSON.stringify(copy).includes('李小红')) fail('the copy of her data does not hold her name')
  await shot(d, '24-data-copy')

  log('another family: a son applies for his mother (set up through the API); from her own phone the mother takes it over, then withdraws it')
  const ELDER_ID = idnum('19440208')
  const SON_ID = idnum('19700511')
  const son = await resident(`e2e-son-${RUN}`, '赵建国', SON_ID)
  const elder = await resident(`e2e-elder-${RUN}`, '钱淑芬', ELDER_ID)
  let x = await api('POST', '/mp/v1/drafts', son, { villageCode: VILLAGE, address: '孙庄村5组1号', categories: ['minimum_living'], reason: '母亲年老多病', agentRelation: 'child', facts: soloFacts('钱淑芬', ELDER_ID) }, 201)
  const elderCase = x.id
  for (const gap of Object.keys(x.application.gaps)) {
    const item = /^items\[(\d+)\]/.exec(gap)
    if (item) await uploadAPI(son, elderCase, Number(item[1]))
  }
  for (const k of x.application.consents.filter((k) => k.subject === 'member')) {
    const inv = await api('POST', `/mp/v1/cases/${elderCase}/consents/${k.id}/invitation`, son, null, 201)
    const view = await api('GET', '/mp/v1/invitations/' + inv.token, elder, null, 200)
    await api('POST', `/mp/v1/invitations/${inv.token}/confirm`, elder, { pledgeAccepted: true, authorizationAccepted: true, textVersion: view.textVersion }, 200)
  }
  x = await api('GET', '/mp/v1/cases/' + elderCase, son, null, 200)
  await api('POST', `/mp/v1/cases/${elderCase}/submit`, son, { version: x.version, pledgeAccepted: true, authorizationAccepted: true }, 200)
  const eCtx = await browser.newContext(phone)
  const e = await eCtx.newPage()
  e.on('pageerror', (err) => errors.push(err.message))
  await e.goto(H5 + '/#/pages/login/index')
  await fill(e, '测试微信号', `e2e-elder-${RUN}`)
  await tap(e, '模拟微信登录')
  await see(e, '我要申请（可替家人申请）')
  await cur(e).locator('.care-switch').click()
  await e.goto(H5 + '/#/pages/case/detail?id=' + elderCase)
  await see(e, '由我本人接手办理')
  await shot(e, '25-take-over-care-mode', true)
  await tap(e, '由我本人接手办理')
  await cur(e).getByText('由我本人接手办理').waitFor({ state: 'detached' })
  await see(e, '本人接手办理')
  await tap(e, '撤回申请')
  await e.locator('.taro-model__confirm', { hasText: '确定撤回' }).click()
  await see(e, '您已撤回这份申请。')
  await shot(e, '26-withdrawn-care-mode')

  log('a third family: the father has no phone; the son turns his confirmation into a signed paper form')
  const FATHER_ID = idnum('19420715')
  const son2 = await resident(`e2e-son2-${RUN}`, '周立新', idnum('19720316'))
  x = await api('POST', '/mp/v1/drafts', son2, { villageCode: VILLAGE, address: '孙庄村1组9号', categories: ['minimum_living'], reason: '父亲年老，没有手机', agentRelation: 'child', facts: soloFacts('周德福', FATHER_ID) }, 201)
  const s2Ctx = await browser.newContext(phone)
  const p2 = await s2Ctx.newPage()
  p2.on('pageerror', (err) => errors.push(err.message))
  await p2.goto(H5 + '/#/pages/login/index?back=' + encodeURIComponent('/pages/apply/index?id=' + x.id))
  await fill(p2, '测试微信号', `e2e-son2-${RUN}`)
  await tap(p2, '模拟微信登录')
  await tap(p2, '7.材料和确认')
  await see(p2, '家人确认（诚信承诺和核对授权）')
  await tap(p2, '没有手机：改为纸质签字确认')
  await see(p2, '纸质确认（到乡镇核验）')
  await shot(p2, '27-paper-consent')

  log('the neighbour deletes her account: she is logged out and her session no longer opens anything')
  const nTok = await n.evaluate(() => JSON.parse(localStorage.getItem('palmaid.token')).data)
  await n.goto(H5 + '/#/pages/me/index')
  await see(n, '我的个人信息')
  await tap(n, '注销账号')
  await n.locator('.taro-model__confirm', { hasText: '确定注销' }).click()
  await see(n, '登录后申请或查看进度')
  await api('GET', '/mp/v1/me', nTok, null, 401)

  log('the mother sees the case in her own list')
  await m.goto(H5 + '/#/pages/cases/index')
  await see(m, '低保')
  await see(m, '查看进度')
  await shot(m, '18-mother-cases-care-mode')

  if (errors.length) fail('page errors: ' + errors.join('; '))
  ok = true
  console.log(`\nminiprogram e2e: all ${step} steps passed; screenshots in ${ART}`)
} catch (e) {
  // What each phone showed when it went wrong.
  for (const [i, ctx] of browser.contexts().entries()) {
    for (const pg of ctx.pages()) {
      await pg.screenshot({ path: path.join(ART, `failure-${i}.png`) }).catch(() => {})
      console.error(`--- phone ${i} (${pg.url()}):\n` + (await cur(pg).innerText().catch(() => '')).slice(0, 1500))
    }
  }
  throw e
} finally {
  await browser.close()
  await server.close()
  if (!ok) process.exitCode = 1
}
