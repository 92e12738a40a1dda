import { useState } from 'react'
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { Btn, Problem } from './ui'
import { upload } from '../lib/api'
import { uploadProblem } from '../lib/rules'

type Picked = { name: string; size: number; head: Uint8Array | null; file?: File; path?: string }

/** H5: a file from the album, the camera or the disk; big photos are re-encoded smaller on the device. */
function pickH5(): Promise<Picked | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = 'image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf'
    input.style.display = 'none'
    input.onchange = async () => {
      const f = input.files && input.files[0]
      input.remove()
      if (!f) return resolve(null)
      let file: File = f
      const head0 = new Uint8Array(await f.slice(0, 8).arrayBuffer())
      if (/^image\/(jpeg|png)$/.test(f.type) && f.size > 1536 * 1024 && !uploadProblem(f.name, f.size, head0)) {
        file = (await shrink(f)) || f
      }
      const head = new Uint8Array(await file.slice(0, 8).arrayBuffer())
      resolve({ name: file.name, size: file.size, head, file })
    }
    document.body.appendChild(input)
    input.click()
  })
}

async function shrink(f: File): Promise<File | null> {
  try {
    const bmp = await createImageBitmap(f)
    const scale = Math.min(1, 2000 / Math.max(bmp.width, bmp.height))
    const c = document.createElement('canvas')
    c.width = Math.round(bmp.width * scale)
    c.height = Math.round(bmp.height * scale)
    c.getContext('2d')!.drawImage(bmp, 0, 0, c.width, c.height)
    const blob: Blob | null = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.85))
    if (!blob) return null
    return new File([blob], f.name.replace(/\.\w+$/, '') + '.jpg', { type: 'image/jpeg' })
  } catch (e) {
    return null
  }
}

function headOf(path: string): Uint8Array | null {
  try {
    const fs = Taro.getFileSystemManager() as any
    const buf = fs.readFileSync(path, undefined, 0, 8)
    return buf ? new Uint8Array(buf) : null
  } catch (e) {
    return null
  }
}

/** weapp: camera or album (compressed by WeChat), or a PDF from a chat. */
async function pickWeapp(): Promise<Picked | null> {
  const { tapIndex } = await Taro.showActionSheet({ itemList: ['拍照', '从相册选择', '选择聊天中的PDF文件'] })
  if (tapIndex === 2) {
    const r = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['pdf'] })
    const f = r.tempFiles[0]
    return { name: f.name, size: f.size, head: headOf(f.path), path: f.path }
  }
  const r = await Taro.chooseMedia({ count: 1, mediaType: ['image'], sizeType: ['compressed'], sourceType: [tapIndex === 0 ? 'camera' : 'album'] })
  const f = r.tempFiles[0]
  return { name: f.tempFilePath.split('/').pop() || 'photo.jpg', size: f.size, head: headOf(f.tempFilePath), path: f.tempFilePath }
}

/** Upload for one checklist item: checked on the device first (type, size), then sent. */
export function Uploader(props: { caseId: string; itemId: number; itemName: string; onDone: () => void | Promise<void> }) {
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState<unknown>(null)
  const [local, setLocal] = useState('')
  const [ok, setOk] = useState('')
  const start = async () => {
    setErr(null)
    setLocal('')
    setOk('')
    let p: Picked | null = null
    try {
      p = process.env.TARO_ENV === 'h5' ? await pickH5() : await pickWeapp()
    } catch (e) {
      return // cancelled
    }
    if (!p) return
    const problem = uploadProblem(p.name, p.size, p.head)
    if (problem) {
      setLocal(problem)
      return
    }
    setBusy(true)
    try {
      await upload(props.caseId, props.itemId, { name: p.name, file: p.file, path: p.path })
      setOk(`上传成功：${p.name}`)
      // The screen is read again before the button is free: what the page shows next (and the
      // version a following action sends) is the server's.
      await props.onDone()
    } catch (e) {
      setErr(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <View>
      <Btn kind='default' onClick={start} loading={busy} label={'上传' + props.itemName}>拍照或选择文件上传</Btn>
      <Text className='muted'>照片（JPG、PNG）或 PDF，不超过10MB</Text>
      {local ? (
        <View className='problem' role='alert'>
          <Text className='problem-text'>{local}</Text>
        </View>
      ) : null}
      {ok ? <Text className='tag ok'>{ok}</Text> : null}
      <Problem error={err} />
    </View>
  )
}
