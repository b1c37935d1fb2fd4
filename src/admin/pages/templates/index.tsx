// A doctor's weekly clinic times (出诊模板), by weekday and period: add, change, delete. Saving says
// what staff must do next (generate schedules) before patients see the change.
import { useCallback, useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { askToConfirm } from '../../../components/AppDialog'
import { PageShell } from '../../../components/PageShell'
import { ADMIN_GENERATE_PAGE } from '../../../routes'
import { AdminNotice } from '../../components/AdminNotice'
import { FormMessage } from '../../components/FormMessage'
import { locationName, toApiError, useOverview } from '../../hooks/useOverview'
import { deleteTemplate, fetchTemplates, type AdminDoctor, type Overview, type Template } from '../../services/adminApi'
import type { ApiError } from '../../../services/api'
import { adminUrl } from '../../utils/adminUrl'
import { PERIOD_LABELS, PERIODS, WEEKDAY_LABELS, WEEKDAYS } from '../../utils/labels'
import { sessionSize } from '../../utils/sessionTimes'
import { TemplateForm } from './TemplateForm'
import '../../components/admin.scss'
import './index.scss'

type Editing = { kind: 'new' } | { kind: 'edit'; template: Template } | undefined

function describeTemplate(overview: Overview, template: Template): string {
  const size = sessionSize(template)
  const total = size ? `，共 ${size.places} 个号` : ''
  return `每 ${template.slotMinutes} 分钟一个时段，每个时段 ${template.placesPerSlot} 个号${total} · ${locationName(overview, template.locationId)}`
}

interface WeekProps {
  overview: Overview
  templates: Template[]
  editingId?: string
  onEdit: (template: Template) => void
  onDelete: (template: Template) => void
}

function Week({ overview, templates, editingId, onEdit, onDelete }: WeekProps) {
  return (
    <View className='card' id='templates-week'>
      <Text className='title'>每周出诊</Text>
      {templates.length === 0 && <Text className='caption'>还没有出诊时间。点下面的“新增出诊时间”开始。</Text>}
      {WEEKDAYS.map((weekday) => {
        const sessions = PERIODS.flatMap((period) => templates.filter((template) => template.weekday === weekday && template.period === period))
        return (
          <View key={weekday} className='templates-day'>
            <Text className='admin-field-label'>{WEEKDAY_LABELS[weekday]}</Text>
            {sessions.length === 0 && <Text className='caption'>不出诊</Text>}
            {sessions.map((template) => (
              <View
                key={template._id}
                className={`templates-session ${template._id === editingId ? 'templates-session-editing' : ''}`}
                id={`template-${template.weekday}-${template.period}`}
              >
                <Text>
                  {PERIOD_LABELS[template.period]} {template.startTime}-{template.endTime}
                </Text>
                <Text className='caption'>{describeTemplate(overview, template)}</Text>
                <View className='templates-session-actions'>
                  <View className='templates-link' ariaRole='button' ariaLabel={`修改${WEEKDAY_LABELS[weekday]}${PERIOD_LABELS[template.period]}`} onClick={() => onEdit(template)}>
                    <Text>修改</Text>
                  </View>
                  <View className='templates-link templates-link-danger' ariaRole='button' ariaLabel={`删除${WEEKDAY_LABELS[weekday]}${PERIOD_LABELS[template.period]}`} onClick={() => onDelete(template)}>
                    <Text>删除</Text>
                  </View>
                </View>
              </View>
            ))}
          </View>
        )
      })}
    </View>
  )
}

function DoctorTemplates({ overview, doctor }: { overview: Overview; doctor: AdminDoctor }) {
  const [templates, setTemplates] = useState<Template[] | undefined>()
  const [loadError, setLoadError] = useState<ApiError | undefined>()
  const [editing, setEditing] = useState<Editing>()
  const [notice, setNotice] = useState<{ tone: 'done' | 'error'; message: string; requestId?: string } | undefined>()

  const load = useCallback(
    () =>
      fetchTemplates(doctor._id).then(
        (loaded) => setTemplates(loaded.templates),
        (e: unknown) => setLoadError(toApiError(e)),
      ),
    [doctor._id],
  )
  useEffect(() => {
    void load()
  }, [load])
  const retry = () => {
    setLoadError(undefined)
    void load()
  }

  const saved = (template: Template, hint: string) => {
    setEditing(undefined)
    setNotice({ tone: 'done', message: `${WEEKDAY_LABELS[template.weekday]}${PERIOD_LABELS[template.period]} ${template.startTime}-${template.endTime}：${hint}` })
    void load()
  }

  const remove = async (template: Template) => {
    const name = `${WEEKDAY_LABELS[template.weekday]}${PERIOD_LABELS[template.period]}`
    const confirmed = await askToConfirm({ title: `删除${name}的出诊？`, content: '删除后，重新生成排班时不再排这个时段；已有人预约的出诊会保留。', confirmText: '删除', cancelText: '不删了' })
    if (!confirmed) return
    try {
      await deleteTemplate(template._id)
      if (editing?.kind === 'edit' && editing.template._id === template._id) setEditing(undefined)
      setNotice({ tone: 'done', message: `已删除${name}的出诊。请“生成排班”后，患者看到的号源才会更新。` })
      void load()
    } catch (e) {
      const error = toApiError(e)
      setNotice({ tone: 'error', message: error.message, requestId: error.requestId })
    }
  }

  if (loadError) return <AdminNotice error={loadError} onRetry={retry} />
  if (!templates) return <Text className='notice-text'>正在加载出诊时间…</Text>
  const editingTemplate = editing?.kind === 'edit' ? editing.template : undefined
  return (
    <>
      {notice && (
        <View className='admin-block admin-actions'>
          <FormMessage id='templates-message' tone={notice.tone} message={notice.message} requestId={notice.requestId} />
          {notice.tone === 'done' && (
            <Button ariaRole='button' className='btn btn-primary' id='templates-go-generate' onClick={() => void Taro.navigateTo({ url: adminUrl(ADMIN_GENERATE_PAGE, { doctorId: doctor._id }) })}>
              去生成排班
            </Button>
          )}
        </View>
      )}
      {editing ? (
        <TemplateForm
          key={editingTemplate?._id ?? 'new'}
          overview={overview}
          doctor={doctor}
          template={editingTemplate}
          others={templates.filter((template) => template._id !== editingTemplate?._id)}
          onSaved={saved}
          onCancel={() => setEditing(undefined)}
        />
      ) : (
        <View className='admin-block'>
          <Button ariaRole='button'
            className='btn btn-secondary'
            id='templates-add'
            onClick={() => {
              setNotice(undefined)
              setEditing({ kind: 'new' })
            }}
          >
            新增出诊时间
          </Button>
        </View>
      )}
      <Week
        overview={overview}
        templates={templates}
        editingId={editingTemplate?._id}
        onEdit={(template) => {
          setNotice(undefined)
          setEditing({ kind: 'edit', template })
          // The form sits above the week, where a phone has scrolled away from.
          void Taro.pageScrollTo({ scrollTop: 0, duration: 200 })
        }}
        onDelete={(template) => void remove(template)}
      />
    </>
  )
}

export default function AdminTemplatesPage() {
  const { params } = useRouter()
  const { overview, error, reload } = useOverview()
  const doctor = overview?.doctors.find((candidate) => candidate._id === params.doctorId)
  return (
    <PageShell>
      {error && <AdminNotice error={error} onRetry={() => void reload()} />}
      {!overview && !error && <Text className='notice-text'>正在加载，请稍等…</Text>}
      {overview && !doctor && <Text className='notice-text'>没有找到这位医生，请返回医院管理再看看。</Text>}
      {overview && doctor && (
        <>
          <View className='card'>
            <Text className='title'>{doctor.name}的出诊模板</Text>
            <Text className='caption'>
              {doctor.title} · 每周固定的出诊时间。改好后请“生成排班”，患者看到的号源才会更新；已有人预约的出诊不会被改动。
            </Text>
          </View>
          <DoctorTemplates overview={overview} doctor={doctor} />
        </>
      )}
    </PageShell>
  )
}
