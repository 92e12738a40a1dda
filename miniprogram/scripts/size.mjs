// Prints the sizes of both builds and fails when the WeChat main package is over the 2 MB
// limit WeChat enforces at upload (subpackages, when there are any, are counted apart, each
// also limited to 2 MB). Run after `npm run build:weapp` (and build:h5 for its line).
//   node scripts/size.mjs            # LIMIT_BYTES=… to try another limit
import fs from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { fileURLToPath } from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const LIMIT = Number(process.env.LIMIT_BYTES || 2 * 1024 * 1024)

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) walk(p, out)
    else if (!e.name.endsWith('.map')) out.push({ p, size: fs.statSync(p).size })
  }
  return out
}
const kb = (n) => (n / 1024).toFixed(1) + ' KB'

const weapp = path.join(root, 'dist', 'weapp')
if (!fs.existsSync(path.join(weapp, 'app.json'))) {
  console.error('no weapp build: run npm run build:weapp first')
  process.exit(1)
}
const app = JSON.parse(fs.readFileSync(path.join(weapp, 'app.json'), 'utf8'))
const subRoots = (app.subPackages || app.subpackages || []).map((s) => s.root.replace(/\/$/, ''))
const files = walk(weapp)
const sub = new Map(subRoots.map((r) => [r, 0]))
let main = 0
for (const f of files) {
  const rel = path.relative(weapp, f.p).split(path.sep).join('/')
  const r = subRoots.find((s) => rel === s || rel.startsWith(s + '/'))
  if (r) sub.set(r, sub.get(r) + f.size)
  else main += f.size
}
// The package WeChat would load: every page listed in app.json has its .js, .json and .wxml (its
// .wxss is optional: the styles live in common.wxss), every .js
// parses, every .json is JSON (the developer tools are not available on CI).
const problems = []
for (const pg of app.pages) {
  for (const ext of ['js', 'json', 'wxml']) {
    if (!fs.existsSync(path.join(weapp, `${pg}.${ext}`))) problems.push(`${pg}.${ext} missing`)
  }
}
for (const f of files) {
  const src = f.p.endsWith('.js') || f.p.endsWith('.json') ? fs.readFileSync(f.p, 'utf8') : null
  try {
    if (f.p.endsWith('.js')) new vm.Script(src, { filename: f.p })
    if (f.p.endsWith('.json')) JSON.parse(src)
  } catch (e) {
    problems.push(`${path.relative(weapp, f.p)}: ${e.message}`)
  }
}
if (problems.length) {
  console.error('FAILED: the weapp package is broken:\n  ' + problems.join('\n  '))
  process.exit(1)
}
const biggest = files.sort((a, b) => b.size - a.size).slice(0, 5).map((f) => `${path.relative(weapp, f.p)} ${kb(f.size)}`).join(', ')
console.log(`weapp main package: ${kb(main)} of ${kb(LIMIT)} (${((main / LIMIT) * 100).toFixed(0)}%), ${app.pages.length} pages, ${files.length} files; largest: ${biggest}`)
let bad = main > LIMIT
for (const [r, n] of sub) {
  console.log(`weapp subpackage ${r}: ${kb(n)}`)
  if (n > LIMIT) bad = true
}
const h5 = path.join(root, 'dist', 'h5')
if (fs.existsSync(h5)) {
  const hf = walk(h5)
  console.log(`h5: ${kb(hf.reduce((a, f) => a + f.size, 0))} in ${hf.length} files`)
}
if (bad) {
  console.error(`FAILED: the weapp main package (or a subpackage) is over ${kb(LIMIT)}: move pages into subpackages`)
  process.exit(1)
}
