// Unit tests of the forms' rules (src/lib/rules.ts), compiled with the project's TypeScript and
// run under node:test:  npm run test:unit
import test from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'lib', 'rules.ts')
const out = ts.transpileModule(fs.readFileSync(src, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2020 } })
const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rules-')), 'rules.mjs')
fs.writeFileSync(tmp, out.outputText)
const R = await import(pathToFileURL(tmp).href)

const PDF = new TextEncoder().encode('%PDF-1.4')
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const JPG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46])
const GIF = new TextEncoder().encode('GIF89a..')

test('ID numbers: checksum, length and birth date are checked; masked numbers pass', () => {
  assert.equal(R.idNumberProblem('99010119760903815X'), null)
  assert.equal(R.idNumberProblem(' 99010119760903815x '), null)
  assert.equal(R.idNumberProblem('990101197609038150'), '身份证号有误，请逐位核对')
  assert.equal(R.idNumberProblem('110105194912310021'), '身份证号有误，请逐位核对')
  assert.equal(R.idNumberProblem('11010519491231002X'), null)
  assert.match(R.idNumberProblem('12345'), /18位/)
  assert.match(R.idNumberProblem(''), /请填写/)
  assert.equal(R.idNumberProblem('990101********7860'), null)
  assert.match(R.idNumberProblem('110105194902300020') ?? '', /出生日期/)
})

test('uploads: type by name and by content, size, empty', () => {
  assert.equal(R.uploadProblem('诊断.pdf', 1000, PDF), null)
  assert.equal(R.uploadProblem('a.JPG', 1000, JPG), null)
  assert.equal(R.uploadProblem('a.png', 1000, PNG), null)
  assert.match(R.uploadProblem('a.gif', 1000, GIF), /类型不能上传/)
  assert.match(R.uploadProblem('a.docx', 1000, null), /类型不能上传/)
  assert.match(R.uploadProblem('a.png', 1000, PDF), /不一致/)
  assert.match(R.uploadProblem('a.jpg', 1000, GIF), /不是照片或 PDF/)
  assert.match(R.uploadProblem('a.pdf', 11 * 1024 * 1024, PDF), /文件太大/)
  assert.match(R.uploadProblem('a.pdf', 0, PDF), /空的/)
  assert.equal(R.uploadProblem('a.pdf', 1000, null), null) // weapp without readable head: the name decides, the server sniffs
})

test('hints lose the field codes in brackets; plain words stay', () => {
  assert.equal(R.plainHint('请填写收入，或确认全家无收入（noIncome）'), '请填写收入，或确认全家无收入')
  assert.equal(R.plainHint('请选择户籍在本地或外地'), '请选择户籍在本地或外地')
  assert.equal(R.plainHint('王*英尚未确认授权（可在线确认）'), '王*英尚未确认授权（可在线确认）')
})

test('money: yuan to fen and back', () => {
  assert.equal(R.yuanToCents('1800'), 180000)
  assert.equal(R.yuanToCents('150.5'), 15050)
  assert.equal(R.yuanToCents('0.05'), 5)
  assert.equal(R.yuanToCents('1,800'), null)
  assert.equal(R.yuanToCents('-3'), null)
  assert.equal(R.yuanToCents('1.234'), null)
  assert.equal(R.centsToYuan(15050), '150.50')
})

test('each gap is filed under the step that fixes it', () => {
  const cases = {
    'consents[1]': 'documents', 'items[2]': 'documents', 'facts.assets.declared': 'assets', 'facts.income': 'income', 'facts.residence': 'income',
    'facts.members[0].employment': 'work', 'facts.members[0].workAbility': 'work', 'facts.members[0].health': 'health',
    'facts.members[1].disabilityGrade': 'health', 'facts.members[0].hukouType': 'members', 'facts.supporters': 'supporters', 'facts.noSupporters': 'supporters', categories: 'start',
  }
  for (const [k, want] of Object.entries(cases)) assert.equal(R.stepOfGap(k), want, k)
})
