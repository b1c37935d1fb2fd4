// The address, 咨询电话 and map point of one campus, as patients see them on the home page with
// 拨打电话 and 导航到医院.
import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { disabledButton } from '../../../utils/buttonState'
import { TextField } from '../../components/FormField'
import { FormMessage } from '../../components/FormMessage'
import { SelectField } from '../../components/SelectField'
import type { Hospital } from '../../services/adminApi'
import { saveHospitalContact } from '../../services/homeContentApi'
import { formFailureOf, INLINE_ONLY_MESSAGE, type FormFailure } from '../../utils/fieldErrors'

const FIELDS = ['campusId', 'address', 'phone', 'latitude', 'longitude']

type Campus = Hospital['campuses'][number]

interface ContactForm {
  campusId: string
  address: string
  phone: string
  latitude: string
  longitude: string
}

const formOf = (campus: Campus): ContactForm => ({
  campusId: campus.id,
  address: campus.address,
  phone: campus.phone ?? '',
  latitude: campus.latitude === undefined ? '' : String(campus.latitude),
  longitude: campus.longitude === undefined ? '' : String(campus.longitude),
})

/** "32.0603" -> 32.0603; "" -> undefined (the server asks for it); anything else -> NaN, reported here. */
function coordinateFromText(text: string): number | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  return /^-?\d{1,3}(\.\d{1,8})?$/.test(trimmed) ? Number(trimmed) : NaN
}

export function ContactForm({ campuses, onSaved }: { campuses: Campus[]; onSaved: () => void }) {
  const [form, setForm] = useState<ContactForm>(() => formOf(campuses[0]))
  const [failure, setFailure] = useState<FormFailure | undefined>()
  const [done, setDone] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)
  const set = (patch: Partial<ContactForm>) => {
    setForm({ ...form, ...patch })
    setDone(undefined)
  }
  const chooseCampus = (campusId: string) => {
    const campus = campuses.find((entry) => entry.id === campusId)
    if (campus) setForm(formOf(campus))
    setFailure(undefined)
    setDone(undefined)
  }

  const save = async () => {
    const latitude = coordinateFromText(form.latitude)
    const longitude = coordinateFromText(form.longitude)
    const typos: Record<string, string> = {}
    if (Number.isNaN(latitude)) typos.latitude = '纬度请填数字，例如 32.0603'
    if (Number.isNaN(longitude)) typos.longitude = '经度请填数字，例如 118.7778'
    if (Object.keys(typos).length > 0) {
      setFailure({ fields: typos, message: INLINE_ONLY_MESSAGE })
      return
    }
    setSaving(true)
    setFailure(undefined)
    try {
      await saveHospitalContact({ campusId: form.campusId, address: form.address, phone: form.phone, latitude, longitude })
      setDone('已保存。患者首页的地址、拨打电话和导航马上就按新的信息显示。')
      onSaved()
    } catch (e) {
      setFailure(formFailureOf(e, FIELDS))
    } finally {
      setSaving(false)
    }
  }

  const errors = failure?.fields ?? {}
  return (
    <View className='card admin-form' id='contact-form'>
      <Text className='title'>医院地址和电话</Text>
      <Text className='caption'>患者在首页看到这里的地址，点“拨打电话”打的是咨询电话，点“导航到医院”按地图位置打开地图。</Text>
      {campuses.length > 1 && (
        <SelectField id='contact-campus' label='院区' choices={campuses.map((campus) => ({ value: campus.id, label: campus.name }))} value={form.campusId} onChange={chooseCampus} error={errors.campusId} />
      )}
      <TextField id='contact-address' label='地址' value={form.address} onChange={(address) => set({ address })} placeholder='例如 江苏省南京市鼓楼区示范路 100 号' maxlength={100} error={errors.address} />
      <TextField id='contact-phone' label='咨询电话' value={form.phone} onChange={(phone) => set({ phone })} placeholder='例如 025-8000 0100' maxlength={20} hint='只写数字，可以用空格或短横线隔开。' error={errors.phone} />
      <Text className='admin-section-title'>地图位置</Text>
      <Text className='caption'>在高德地图或腾讯地图的“坐标拾取”里点一下医院大门，把纬度、经度抄到这里。</Text>
      <TextField id='contact-latitude' label='纬度' type='digit' value={form.latitude} onChange={(latitude) => set({ latitude })} placeholder='例如 32.0603' maxlength={14} error={errors.latitude} />
      <TextField id='contact-longitude' label='经度' type='digit' value={form.longitude} onChange={(longitude) => set({ longitude })} placeholder='例如 118.7778' maxlength={14} error={errors.longitude} />
      {failure && <FormMessage id='contact-message' tone='error' message={failure.message} requestId={failure.requestId} />}
      {done && <FormMessage id='contact-message' tone='done' message={done} />}
      <Button ariaRole='button' className='btn btn-primary' id='contact-save' {...disabledButton(saving)} onClick={() => void save()}>
        保存地址和电话
      </Button>
    </View>
  )
}
