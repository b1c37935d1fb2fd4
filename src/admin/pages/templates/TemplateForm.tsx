// Adds or changes one weekly clinic session of a doctor: weekday, period, times, window length,
// places per window and where it takes place.
import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { ChoiceField } from '../../components/ChoiceField'
import { TextField } from '../../components/FormField'
import { FormMessage } from '../../components/FormMessage'
import { SelectField } from '../../components/SelectField'
import { TimeField } from '../../components/TimeField'
import { locationChoices } from '../../hooks/useOverview'
import { saveTemplate, type AdminDoctor, type Overview, type Period, type Template } from '../../services/adminApi'
import { formFailureOf, INLINE_ONLY_MESSAGE, type FieldMessages, type FormFailure } from '../../utils/fieldErrors'
import { options, PERIOD_DEFAULT_TIMES, PERIOD_LABELS, PERIODS, WEEKDAY_LABELS, WEEKDAYS } from '../../utils/labels'
import { endsAfter, sessionSize } from '../../utils/sessionTimes'
import { wholeNumberFromText } from '../../utils/wholeNumber'
import { busyButton } from '../../../utils/buttonState'

const FIELDS = ['weekday', 'period', 'startTime', 'endTime', 'slotMinutes', 'placesPerSlot', 'locationId']

interface TemplateFormState {
  weekday: string
  period: Period
  startTime: string
  endTime: string
  slotMinutes: string
  placesPerSlot: string
  locationId: string
}

function initialState(template: Template | undefined, defaultLocation: string): TemplateFormState {
  if (!template) return { weekday: '1', period: 'morning', ...PERIOD_DEFAULT_TIMES.morning, slotMinutes: '30', placesPerSlot: '5', locationId: defaultLocation }
  return {
    weekday: String(template.weekday),
    period: template.period,
    startTime: template.startTime,
    endTime: template.endTime,
    slotMinutes: String(template.slotMinutes),
    placesPerSlot: String(template.placesPerSlot),
    locationId: template.locationId,
  }
}

interface TemplateFormProps {
  overview: Overview
  doctor: AdminDoctor
  template?: Template
  /** The doctor's other sessions: a weekday has at most one session per period. */
  others: Template[]
  onSaved: (template: Template, hint: string) => void
  onCancel: () => void
}

export function TemplateForm({ overview, doctor, template, others, onSaved, onCancel }: TemplateFormProps) {
  const defaultLocation = overview.departments.find((department) => department._id === doctor.departmentId)?.locationId ?? ''
  const [form, setForm] = useState(() => initialState(template, defaultLocation))
  const [failure, setFailure] = useState<FormFailure | undefined>()
  const [saving, setSaving] = useState(false)
  const set = (patch: Partial<TemplateFormState>) => setForm({ ...form, ...patch })

  // Switching the period of untouched default times moves the times along with it.
  const choosePeriod = (period: Period) => {
    const defaults = PERIOD_DEFAULT_TIMES[form.period]
    const untouched = form.startTime === defaults.startTime && form.endTime === defaults.endTime
    set({ period, ...(untouched && PERIOD_DEFAULT_TIMES[period]) })
  }

  const slotMinutes = wholeNumberFromText(form.slotMinutes)
  const placesPerSlot = wholeNumberFromText(form.placesPerSlot)
  const size = sessionSize({ ...form, slotMinutes: slotMinutes ?? NaN, placesPerSlot: placesPerSlot ?? NaN })

  const localErrors = (): FieldMessages => {
    const errors: FieldMessages = {}
    if (slotMinutes === null || Number.isNaN(slotMinutes)) errors.slotMinutes = '请填写 5 到 30 之间的整数分钟'
    if (placesPerSlot === null || Number.isNaN(placesPerSlot)) errors.placesPerSlot = '请填写整数号数，例如 5'
    // An evening may run past midnight; every other session ends after it starts.
    if (form.period !== 'evening' && !endsAfter(form.startTime, form.endTime)) errors.endTime = '结束时间要晚于开始时间'
    const taken = others.find((other) => String(other.weekday) === form.weekday && other.period === form.period)
    if (taken) errors.period = `${WEEKDAY_LABELS[taken.weekday]}${PERIOD_LABELS[taken.period]}已经有出诊了，请直接修改那一条。`
    return errors
  }

  const save = async () => {
    const errors = localErrors()
    if (Object.keys(errors).length > 0) {
      setFailure({ fields: errors, message: INLINE_ONLY_MESSAGE })
      return
    }
    setSaving(true)
    setFailure(undefined)
    try {
      const saved = await saveTemplate({
        ...(template && { id: template._id }),
        doctorId: doctor._id,
        weekday: Number(form.weekday),
        period: form.period,
        startTime: form.startTime,
        endTime: form.endTime,
        slotMinutes: slotMinutes as number,
        placesPerSlot: placesPerSlot as number,
        locationId: form.locationId,
      })
      onSaved(saved.template, saved.hint)
    } catch (e) {
      setFailure(formFailureOf(e, FIELDS))
      setSaving(false)
    }
  }

  const errors = failure?.fields ?? {}
  return (
    <View className='card admin-form' id='template-form'>
      <Text className='title'>{template ? `修改${WEEKDAY_LABELS[template.weekday]}${PERIOD_LABELS[template.period]}的出诊` : '新增出诊时间'}</Text>
      <ChoiceField id='template-weekday' label='星期' choices={options(WEEKDAYS, WEEKDAY_LABELS)} value={form.weekday} onChange={(weekday) => set({ weekday })} error={errors.weekday} />
      <ChoiceField id='template-period' label='时段' choices={options(PERIODS, PERIOD_LABELS)} value={form.period} onChange={(period) => choosePeriod(period as Period)} error={errors.period} />
      <TimeField id='template-start' label='开始时间' value={form.startTime} onChange={(startTime) => set({ startTime })} error={errors.startTime} />
      <TimeField
        id='template-end'
        label='结束时间'
        value={form.endTime}
        onChange={(endTime) => set({ endTime })}
        hint={form.period === 'evening' ? '夜间门诊可以过零点，例如 18:00 到 01:00。' : undefined}
        error={errors.endTime}
      />
      <TextField id='template-slot-minutes' label='每个时段多少分钟' type='number' value={form.slotMinutes} onChange={(value) => set({ slotMinutes: value })} hint='5 到 30 分钟，患者按时段分批到院。' maxlength={2} error={errors.slotMinutes} />
      <TextField id='template-places' label='每个时段几个号' type='number' value={form.placesPerSlot} onChange={(value) => set({ placesPerSlot: value })} maxlength={3} error={errors.placesPerSlot} />
      <SelectField id='template-location' label='就诊地点' choices={locationChoices(overview)} value={form.locationId} onChange={(locationId) => set({ locationId })} error={errors.locationId} />
      {size && (
        <Text className='caption' id='template-size'>
          这样一次出诊共 {size.windows} 个时段、{size.places} 个号。
        </Text>
      )}
      {failure && <FormMessage id='template-message' tone='error' message={failure.message} requestId={failure.requestId} />}
      <View className='admin-actions'>
        <Button ariaRole='button' className='btn btn-primary' id='template-save' {...busyButton(saving)} onClick={() => void save()}>
          保存出诊时间
        </Button>
        <Button ariaRole='button' className='btn btn-secondary' id='template-cancel' onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  )
}
