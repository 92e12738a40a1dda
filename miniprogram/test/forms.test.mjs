// Unit tests of the draft's household, income and supporter forms (src/lib/forms.ts): what each
// form refuses before anything is saved, and how removing a member keeps the rest consistent.
// Compiled with the project's TypeScript (forms.ts and the rules it uses) and run under node:test.
import test from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'

const lib = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'lib')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forms-'))
for (const name of ['rules', 'forms']) {
  const out = ts.transpileModule(fs.readFileSync(path.join(lib, name + '.ts'), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2020 } })
  fs.writeFileSync(path.join(dir, name + '.mjs'), out.outputText.replace(/from '\.\/(\w+)'/g, "from './$1.mjs'"))
}
const F = await import(pathToFileURL(path.join(dir, 'forms.mjs')).href)

// Checksum-valid numbers (GB 11643).
function idnum(body17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let s = 0
  for (let i = 0; i < 17; i++) s += Number(body17[i]) * w[i]
  return body17 + '10X98765432'[s % 11]
}
const MOTHER = idnum('99010119480612001')
const SON = idnum('99010119760903002')
const GRANDSON = idnum('99010120100101003')
const facts = () => ({
  residence: 'rural', noIncome: false, noSupporters: false,
  members: [F.blankMember('self', '王秀英', MOTHER), F.blankMember('child', '李强', SON), F.blankMember('grandchild', '李小明', GRANDSON)],
  income: [{ member: 0, kind: 'pension', amountCents: 180000, period: 'yearly', source: '' }, { member: 1, kind: 'wage', amountCents: 200000, period: 'monthly', source: '' }, { member: 2, kind: 'other', amountCents: 100, period: 'monthly', source: '' }],
  supporters: [{ forMember: 2, relation: 'parent', name: '张丽', idNumber: idnum('99010119800101004'), ability: 'able' }],
  assets: { declared: false, depositCents: 0, securitiesCents: 0, vehicles: 0, housing: 0, businesses: 0 },
})

test('a member needs a name and a valid ID number, and cannot be declared twice', () => {
  const f = facts()
  assert.equal(F.memberProblem(f, '', idnum('99010119900101005')), '请填写姓名')
  const good = idnum('99010119900101005')
  assert.match(F.memberProblem(f, '李四', good.slice(0, 17) + (good[17] === '1' ? '2' : '1')) || '', /身份证号/)
  assert.equal(F.memberProblem(f, '李强', SON), '李强已经在家庭成员里了，不用重复添加')
  assert.equal(F.memberProblem(f, '李强', SON.toLowerCase()), '李强已经在家庭成员里了，不用重复添加')
  assert.equal(F.memberProblem(f, '李四', idnum('99010119900101005')), null)
})

test('a supporter cannot be one of the household, nor named twice', () => {
  const f = facts()
  assert.match(F.supporterProblem(f, '李强', SON) || '', /已经是一起生活的家庭成员/)
  assert.match(F.supporterProblem(f, '张丽', f.supporters[0].idNumber) || '', /已经填过/)
  assert.equal(F.supporterProblem(f, '', idnum('99010119900101005')), '请填写姓名')
  assert.equal(F.supporterProblem(f, '李四', idnum('99010119900101005')), null)
})

test('an income item needs an amount above zero, in yuan', () => {
  assert.deepEqual(F.incomeAmount(''), { error: '请填写金额（元），例如 1800' })
  assert.deepEqual(F.incomeAmount('0'), { error: '请填写金额（元），例如 1800' })
  assert.deepEqual(F.incomeAmount('abc'), { error: '请填写金额（元），例如 1800' })
  assert.deepEqual(F.incomeAmount('1800'), { cents: 180000 })
  assert.deepEqual(F.incomeAmount(' 150.5 '), { cents: 15050 })
})

test('removing a member removes their income and supporters and renumbers the others', () => {
  const f = facts()
  F.removeMember(f, 1)
  assert.deepEqual(f.members.map((m) => m.name), ['王秀英', '李小明'])
  assert.deepEqual(f.income.map((x) => [x.member, x.kind]), [[0, 'pension'], [1, 'other']])
  assert.deepEqual(f.supporters.map((s) => [s.forMember, s.name]), [[1, '张丽']])
  F.removeMember(f, 1)
  assert.equal(f.supporters.length, 0)
  assert.throws(() => F.removeMember(f, 0), /申请救助的人/)
})

test('a new member starts with nothing declared (the steps after name each gap)', () => {
  const m = F.blankMember('spouse', '李四', 'x')
  assert.equal(m.health, '')
  assert.equal(m.workAbility, '')
  assert.equal(m.disabilityGrade, 0)
})
