// Posting or changing one 公告: title, what patients read, and the first and last day it shows.
import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { disabledButton } from '../../../utils/buttonState'
import { DateField } from '../../components/DateField'
import { TextField } from '../../components/FormField'
import { FormMessage } from '../../components/FormMessage'
import { saveNotice, type AdminNoticeItem } from '../../services/homeContentApi'
import { formFailureOf, type FormFailure } from '../../utils/fieldErrors'

const FIELDS = ['title', 'body', 'from', 'until']

interface NoticeFormProps {
  /** The notice being changed; a new one without it. */
  notice?: AdminNoticeItem
  /** The hospital's today and a week later, the dates a new notice starts with. */
  defaultDates: { from: string; until: string }
  onSaved: (notice: AdminNoticeItem) => void
  onCancel: () => void
}

export function NoticeForm({ notice, defaultDates, onSaved, onCancel }: NoticeFormProps) {
  const [form, setForm] = useState(() => ({
    title: notice?.title ?? '',
    body: notice?.body ?? '',
    from: notice?.from ?? defaultDates.from,
    until: notice?.until ?? defaultDates.until,
  }))
  const [failure, setFailure] = useState<FormFailure | undefined>()
  const [saving, setSaving] = useState(false)
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch })

  const save = async () => {
    setSaving(true)
    setFailure(undefined)
    try {
      const { notice: saved } = await saveNotice({ ...(notice && { id: notice.id }), ...form })
      onSaved(saved)
    } catch (e) {
      setFailure(formFailureOf(e, FIELDS))
    } finally {
      setSaving(false)
    }
  }

  const errors = failure?.fields ?? {}
  const retaking = notice?.state === 'unpublished'
  return (
    <View className='admin-form' id='notice-form'>
      <Text className='admin-section-title'>{notice ? `修改公告：${notice.title}` : '发布新公告'}</Text>
      {retaking && <Text className='caption'>这条公告已撤下，保存后会重新显示在患者首页。</Text>}
      <TextField id='notice-title' label='公告标题' value={form.title} onChange={(title) => set({ title })} placeholder='例如 春节门诊安排' maxlength={30} hint='2 到 30 个字，患者在首页先看到标题。' error={errors.title} />
      <TextField
        id='notice-body'
        label='公告内容'
        multiline
        maxlength={1000}
        value={form.body}
        onChange={(body) => set({ body })}
        placeholder='写清楚什么时候、哪里有变化，患者需要怎么做'
        hint='第一行会显示在首页，患者点开能看到全文。'
        error={errors.body}
      />
      <DateField id='notice-from' label='从哪天开始显示' value={form.from} onChange={(from) => set({ from })} error={errors.from} />
      <DateField id='notice-until' label='显示到哪天（含这一天）' value={form.until} onChange={(until) => set({ until })} start={form.from} error={errors.until} />
      {failure && <FormMessage id='notice-message' tone='error' message={failure.message} requestId={failure.requestId} />}
      <View className='admin-actions'>
        <Button ariaRole='button' className='btn btn-primary' id='notice-save' {...disabledButton(saving)} onClick={() => void save()}>
          {notice ? '保存并发布' : '发布公告'}
        </Button>
        <Button ariaRole='button' className='btn btn-secondary' id='notice-cancel' onClick={onCancel}>
          不改了
        </Button>
      </View>
    </View>
  )
}
