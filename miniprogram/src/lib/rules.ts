// Pure rules shared by the forms (no Taro import: the unit tests in test/ run them under node).

/** GB 11643 check digit: is this an 18-character ID number with a valid checksum and birth date? */
export function idNumberProblem(raw: string): string | null {
  const id = raw.trim().toUpperCase()
  if (id === '') return '请填写身份证号'
  if (id.includes('*')) return null // masked: the server keeps the number it has
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号应为18位，最后一位可以是数字或X'
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * w[i]
  if ('10X98765432'[sum % 11] !== id[17]) return '身份证号有误，请逐位核对'
  const y = Number(id.slice(6, 10)), m = Number(id.slice(10, 12)), d = Number(id.slice(12, 14))
  const dt = new Date(Date.UTC(y, m - 1, d))
  if (y < 1900 || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return '身份证号中的出生日期有误，请核对'
  return null
}

/** The birth date in an ID number, YYYY-MM-DD ('' when masked or malformed). */
export function birthDateOf(id: string): string {
  if (!/^\d{17}[\dXx]$/.test(id)) return ''
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
}

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

export type FileKind = 'pdf' | 'jpeg' | 'png'

/** The kind a file's first bytes show, or null when it is none of the accepted kinds. */
export function sniff(head: Uint8Array): FileKind | null {
  if (head.length >= 4 && head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46) return 'pdf'
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg'
  if (head.length >= 8 && head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'png'
  return null
}

const extKinds: Record<string, FileKind> = { pdf: 'pdf', jpg: 'jpeg', jpeg: 'jpeg', png: 'png' }

/**
 * Why a file cannot be sent (checked on the device, before any upload), or null when it can.
 * head: the file's first bytes when the platform can read them (H5), else null (the name decides).
 */
export function uploadProblem(name: string, size: number, head: Uint8Array | null): string | null {
  const ext = (name.split('.').pop() || '').toLowerCase()
  const byName = extKinds[ext]
  if (!byName) return '只能上传照片（JPG、PNG）或 PDF 文件，这个文件的类型不能上传'
  if (size <= 0) return '这个文件是空的，请重新选择'
  if (size > MAX_UPLOAD_BYTES) return `文件太大（${(size / 1024 / 1024).toFixed(1)}MB），请选择不超过10MB的文件，或拍照时选择压缩`
  if (head) {
    const kind = sniff(head)
    if (!kind) return '只能上传照片（JPG、PNG）或 PDF 文件，这个文件的内容不是照片或 PDF'
    if (kind !== byName) return '文件名和文件内容不一致（例如把 PDF 改成了 .jpg），请选择原始文件'
  }
  return null
}

/** A hint from the server without the field codes some hints carry in brackets, e.g. “（noIncome）”. */
export function plainHint(hint: string): string {
  return hint.replace(/[（(]\s*[A-Za-z_][A-Za-z0-9_.\[\]]*\s*[）)]/g, '').trim()
}

/** Yuan text → fen (integer), or null when it is not an amount. */
export function yuanToCents(s: string): number | null {
  const t = s.trim()
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(t)) return null
  const [i, f = ''] = t.split('.')
  return Number(i) * 100 + Number((f + '00').slice(0, 2))
}

export function centsToYuan(c: number): string {
  const neg = c < 0
  const a = Math.abs(c)
  const s = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`
  return neg ? '-' + s : s
}

/** Which step of the guided draft a gap belongs to (see pages/apply). */
export function stepOfGap(key: string): string {
  if (key.startsWith('consents') || key.startsWith('items')) return 'documents'
  if (key.startsWith('facts.supporters') || key === 'facts.noSupporters') return 'supporters'
  if (key.startsWith('facts.assets')) return 'assets'
  if (key.startsWith('facts.income') || key === 'facts.noIncome' || key === 'facts.residence') return 'income'
  if (/\.(workAbility|employment|inEducation)$/.test(key)) return 'work'
  if (/\.(health|seriousIllness|disabilityKind|disabilityGrade|selfCareFailed)$/.test(key)) return 'health'
  if (key.startsWith('facts.members')) return 'members'
  return 'start'
}

/** A submit key: a random 32-character string for the Idempotency-Key header. */
export function newKey(rand: () => number = Math.random): string {
  const abc = 'abcdefghijklmnopqrstuvwxyz0123456789'
  let s = ''
  for (let i = 0; i < 32; i++) s += abc[Math.floor(rand() * abc.length)]
  return s
}

/** A month as the API writes it (YYYY-MM) in words: 2026年12月. */
export function monthLabel(m: string | undefined): string {
  const r = /^(\d{4})-(\d{2})$/.exec(m || '')
  return r ? `${r[1]}年${Number(r[2])}月` : m || ''
}
