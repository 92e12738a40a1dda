import Taro from '@tarojs/taro'
import { plainHint } from './rules'

// The resident API (/mp/v1). H5 talks to its own origin (the server or a proxy in front of it);
// the WeChat build talks to TARO_APP_API (set at build time, see README).
export const API_BASE: string = process.env.TARO_APP_API || ''

const TOKEN_KEY = 'palmaid.token'

export function token(): string {
  return Taro.getStorageSync(TOKEN_KEY) || ''
}
export function setToken(t: string) {
  if (t) Taro.setStorageSync(TOKEN_KEY, t)
  else Taro.removeStorageSync(TOKEN_KEY)
}

/** An answer the backend refused (or no answer at all: status 0), with the message meant for the resident. */
export class ApiError extends Error {
  status: number
  code: string
  /** The field hints, in the server's words (field names are never shown). */
  hints: string[]
  fields: Record<string, string>
  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}) {
    super(message)
    this.status = status
    this.code = code
    this.fields = fields
    this.hints = Object.values(fields).map(plainHint)
  }
}

export const offlineMessage = '网络不通或信号较弱，刚才的操作没有完成。填写的内容都还在，请稍后点“重试”。'

function toError(status: number, data: any): ApiError {
  const e = data && data.error
  if (e && typeof e.message === 'string') return new ApiError(status, e.code || '', e.message, e.fields || {})
  if (status === 0) return new ApiError(0, '', offlineMessage)
  if (status === 429) return new ApiError(status, '', '操作太频繁，请稍等一会儿再试')
  if (status >= 500) return new ApiError(status, '', '服务暂时不可用，请稍后再试。填写的内容不会丢失。')
  return new ApiError(status, '', '操作没有成功，请稍后再试')
}

/** Called when the session has ended: the page saves what was typed, then the login page opens. */
function sessionEnded() {
  setToken('')
  const router = Taro.getCurrentInstance().router
  let back = ''
  const route = router ? router.path.split('?')[0] : ''
  if (route && !route.includes('pages/login')) {
    const q = Object.entries(router!.params || {})
      .filter(([k]) => !k.startsWith('$') && k !== 'stamp')
      .map(([k, v]) => `${k}=${v}`)
      .join('&')
    back = (route.startsWith('/') ? route : '/' + route) + (q ? '?' + q : '')
  }
  Taro.redirectTo({ url: '/pages/login/index?expired=1' + (back ? '&back=' + encodeURIComponent(back) : '') })
}

type Opts = { auth?: boolean; headers?: Record<string, string>; quiet401?: boolean }

export async function call<T = any>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, opts: Opts = {}): Promise<T> {
  const header: Record<string, string> = { ...(opts.headers || {}) }
  if (body !== undefined) header['Content-Type'] = 'application/json'
  const t = token()
  if (opts.auth !== false && t) header.Authorization = 'Bearer ' + t
  let res: Taro.request.SuccessCallbackResult<any>
  try {
    res = await Taro.request({ url: API_BASE + path, method, data: body as any, header, dataType: 'json', timeout: 20000 })
  } catch (e) {
    throw new ApiError(0, '', offlineMessage)
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data as T
  if (res.statusCode === 401 && opts.auth !== false) {
    if (opts.quiet401) setToken('')
    else sessionEnded()
  }
  throw toError(res.statusCode, res.data)
}

/** Upload one file (H5: a File; weapp: a temp path) to a checklist item. */
export async function upload(caseId: string, itemId: number, file: { path?: string; file?: File; name: string }): Promise<any> {
  const url = `${API_BASE}/mp/v1/cases/${caseId}/items/${itemId}/documents`
  if (process.env.TARO_ENV === 'h5' && file.file) {
    const fd = new FormData()
    fd.append('file', file.file, file.name)
    let r: Response
    try {
      r = await fetch(url, { method: 'POST', body: fd, headers: { Authorization: 'Bearer ' + token() } })
    } catch (e) {
      throw new ApiError(0, '', offlineMessage)
    }
    const data = await r.json().catch(() => null)
    if (r.ok) return data
    if (r.status === 401) sessionEnded()
    throw toError(r.status, data)
  }
  let res: Taro.uploadFile.SuccessCallbackResult
  try {
    res = await Taro.uploadFile({ url, filePath: file.path || '', name: 'file', header: { Authorization: 'Bearer ' + token() } })
  } catch (e) {
    throw new ApiError(0, '', offlineMessage)
  }
  let data: any = null
  try {
    data = JSON.parse(res.data)
  } catch (e) {
    data = null
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return data
  if (res.statusCode === 401) sessionEnded()
  throw toError(res.statusCode, data)
}

/** A message for any failure (never a code or a stack). */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message
  return '出了点问题，请稍后再试'
}
