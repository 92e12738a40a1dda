import Taro from '@tarojs/taro'
import { call } from './api'

/** After a submission (a user tap): ask WeChat for subscribe-message consent with the templates the backend reports. */
export async function askSubscribe(): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp') return
  try {
    const t = await call<{ items: { templateId: string }[] }>('GET', '/mp/v1/subscriptions/templates')
    const ids = t.items.map((x) => x.templateId).filter(Boolean).slice(0, 3)
    if (!ids.length) return
    const res: any = await Taro.requestSubscribeMessage({ tmplIds: ids, entityIds: [] } as any)
    const results = ids.map((id) => ({ templateId: id, result: res[id] }))
    await call('POST', '/mp/v1/subscriptions', { results })
  } catch (e) {
    // Declining or an old WeChat version: nothing to do.
  }
}
