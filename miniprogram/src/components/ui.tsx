import { useState, type ReactNode } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text, Input, Textarea } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import { careMode, setCareMode } from '../lib/store'
import { ApiError, call } from '../lib/api'
import type { Opt } from '../lib/labels'
import './ui.css'

/** Every page: a title, the care-mode switch, and the content (one task per screen). */
export function Screen(props: { title: string; children: ReactNode; back?: boolean }) {
  const [care, setCare] = useState(careMode())
  useDidShow(() => setCare(careMode()))
  const toggle = () => {
    setCareMode(!care)
    setCare(!care)
  }
  return (
    <View className={care ? 'screen care' : 'screen'}>
      <View className='bar'>
        <View className='bar-title' role='heading' aria-level={1}>{props.title}</View>
        <View className={care ? 'care-switch on' : 'care-switch'} role='switch' aria-checked={care} aria-label='大字模式' onClick={toggle}>
          {care ? '大字模式：开' : '大字模式'}
        </View>
      </View>
      <View className='body'>{props.children}</View>
    </View>
  )
}

export function Btn(props: { children: ReactNode; onClick?: () => void; kind?: 'primary' | 'default' | 'danger'; disabled?: boolean; loading?: boolean; openType?: any; label?: string; onGetPhoneNumber?: (e: any) => void }) {
  return (
    <View className='btn-row'>
      <Button
        block
        type={props.kind === 'danger' ? 'danger' : props.kind === 'default' ? 'default' : 'primary'}
        disabled={props.disabled || props.loading}
        loading={props.loading}
        openType={props.openType}
        onGetPhoneNumber={props.onGetPhoneNumber}
        aria-label={props.label}
        onClick={() => props.onClick && !props.disabled && !props.loading && props.onClick()}
      >
        {props.children}
      </Button>
    </View>
  )
}

/** One choice among a few, as large tappable chips (no drop-down lists for elders). */
export function Choice(props: { label: string; options: Opt[]; value: string; onChange: (v: string) => void; hint?: string }) {
  return (
    <View className='field' role='radiogroup' aria-label={props.label}>
      <Text className='field-label'>{props.label}</Text>
      <View className='chips'>
        {props.options.map((o) => (
          <View
            key={o.value}
            className={o.value === props.value ? 'chip on' : 'chip'}
            role='radio'
            aria-checked={o.value === props.value}
            onClick={() => props.onChange(o.value)}
          >
            {o.label}
          </View>
        ))}
      </View>
      {props.hint ? <Text className='field-hint bad'>{props.hint}</Text> : null}
    </View>
  )
}

/** A yes/no tick box with its words. */
export function Tick(props: { label: string; value: boolean; onChange: (v: boolean) => void }) {
  return (
    <View className={props.value ? 'tick on' : 'tick'} role='checkbox' aria-checked={props.value} onClick={() => props.onChange(!props.value)}>
      <Text className='tick-box' aria-hidden>{props.value ? '✓' : ''}</Text>
      <Text className='tick-text'>{props.label}</Text>
    </View>
  )
}

export function Field(props: { label: string; value: string; onChange: (v: string) => void; placeholder?: string; type?: 'text' | 'idcard' | 'digit' | 'number'; hint?: string; multiline?: boolean; maxlength?: number }) {
  return (
    <View className='field'>
      <Text className='field-label'>{props.label}</Text>
      {props.multiline ? (
        <Textarea className='input area' aria-label={props.label} nativeProps={{ 'aria-label': props.label }} value={props.value} placeholder={props.placeholder} maxlength={props.maxlength ?? 500} onInput={(e) => props.onChange(e.detail.value)} />
      ) : (
        <Input className='input' aria-label={props.label} nativeProps={{ 'aria-label': props.label }} value={props.value} type={props.type ?? 'text'} placeholder={props.placeholder} maxlength={props.maxlength ?? 140} onInput={(e) => props.onChange(e.detail.value)} />
      )}
      {props.hint ? <Text className='field-hint bad'>{props.hint}</Text> : null}
    </View>
  )
}

/** A refusal or failure in the server's words, with its field hints. */
export function Problem(props: { error: unknown; retry?: () => void }) {
  if (!props.error) return null
  const e = props.error
  const msg = e instanceof ApiError ? e.message : '出了点问题，请稍后再试'
  const hints = e instanceof ApiError ? e.hints : []
  return (
    <View className='problem' role='alert'>
      <Text className='problem-text'>{msg}</Text>
      {hints.map((h, i) => (
        <Text key={i} className='problem-hint'>· {h}</Text>
      ))}
      {props.retry ? (
        <View className='link' role='button' onClick={props.retry}>重试</View>
      ) : null}
    </View>
  )
}

export function Note(props: { children: ReactNode; kind?: 'ok' | 'warn' | 'info' }) {
  return <View className={'note ' + (props.kind ?? 'info')}>{props.children}</View>
}

export function Card(props: { children: ReactNode; title?: string; onClick?: () => void }) {
  return (
    <View className='card' onClick={props.onClick}>
      {props.title ? <Text className='card-title'>{props.title}</Text> : null}
      {props.children}
    </View>
  )
}

export type Village = { code: string; name: string; townName: string; countyName: string }

/** Find one's village (村/社区) by a few characters of its name. */
export function VillagePicker(props: { value: Village | null; onChange: (v: Village) => void }) {
  const [q, setQ] = useState('')
  const [found, setFound] = useState<Village[] | null>(null)
  const [err, setErr] = useState<unknown>(null)
  const search = async () => {
    setErr(null)
    try {
      const r = await call<{ items: Village[] }>('GET', '/mp/v1/villages?q=' + encodeURIComponent(q.trim()), undefined, { auth: false })
      setFound(r.items)
    } catch (e) {
      setErr(e)
    }
  }
  if (props.value) {
    return (
      <View className='field'>
        <Text className='field-label'>所在村（社区）</Text>
        <View className='picked'>
          <Text>{props.value.countyName} {props.value.townName} {props.value.name}</Text>
          <View className='link' onClick={() => { setFound(null); props.onChange(null as any) }}>重新选择</View>
        </View>
      </View>
    )
  }
  return (
    <View className='field'>
      <Text className='field-label'>所在村（社区）</Text>
      <View className='search'>
        <Input className='input' aria-label='村（社区）名称' nativeProps={{ 'aria-label': '村（社区）名称' }} value={q} placeholder='输入村（社区）名称中的字，如：孙庄' onInput={(e) => setQ(e.detail.value)} onConfirm={search} />
        <Btn kind='default' onClick={search} disabled={q.trim() === ''}>查找</Btn>
      </View>
      <Problem error={err} />
      {found && found.length === 0 ? <Text className='field-hint'>没有找到，请换几个字再试</Text> : null}
      {(found || []).map((v) => (
        <View key={v.code} className='chip wide' role='button' onClick={() => props.onChange(v)}>
          {v.townName} {v.name}
        </View>
      ))}
    </View>
  )
}

export function go(url: string) {
  Taro.navigateTo({ url })
}

export function yuan(cents: number | undefined): string {
  if (cents === undefined || cents === null) return ''
  return (cents / 100).toFixed(2) + '元'
}

export function day(iso: string | undefined): string {
  if (!iso) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : iso
}
