import Taro from '@tarojs/taro'

// Small device-side settings: care mode, and what was typed but not yet saved.

const CARE = 'palmaid.care'

export function careMode(): boolean {
  return Taro.getStorageSync(CARE) === '1'
}
export function setCareMode(on: boolean) {
  Taro.setStorageSync(CARE, on ? '1' : '0')
}

/** Unsaved form content, kept on the device so a lost session or connection loses nothing. */
export function keep(key: string, value: unknown) {
  Taro.setStorageSync('palmaid.keep.' + key, JSON.stringify(value))
}
export function kept<T>(key: string): T | null {
  const s = Taro.getStorageSync('palmaid.keep.' + key)
  if (!s) return null
  try {
    return JSON.parse(s) as T
  } catch (e) {
    return null
  }
}
export function forget(key: string) {
  Taro.removeStorageSync('palmaid.keep.' + key)
}
