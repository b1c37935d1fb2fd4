// A department (new or existing): name, place in the tree, intro, location, 常用, and release rules
// that may differ from the hospital's (a field left empty follows the hospital).
import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PREPARATION_MAX_CHARS } from '@domain/preparationNotes'
import { PageShell } from '../../../components/PageShell'
import { ADMIN_DEPARTMENT_PAGE } from '../../../routes'
import { busyButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { ChoiceField } from '../../components/ChoiceField'
import { FormField, TextField } from '../../components/FormField'
import { FormMessage } from '../../components/FormMessage'
import { SelectField } from '../../components/SelectField'
import { locationChoices, useOverview } from '../../hooks/useOverview'
import { saveDepartment, type AdminDepartment, type Overview, type ReleaseRules } from '../../services/adminApi'
import { adminUrl } from '../../utils/adminUrl'
import { formFailureOf, type FormFailure } from '../../utils/fieldErrors'
import { departmentForm, releaseRulesFromForm, type DepartmentForm } from '../../utils/departmentForm'
import '../../components/admin.scss'

const FIELDS = [
  'name',
  'parentId',
  'intro',
  'preparation',
  'locationId',
  'common',
  'releaseRules.daysAhead',
  'releaseRules.releaseTime',
  'releaseRules.sameDayCutoff',
  'releaseRules.closeMinutesBefore',
]

function hospitalRuleHints(rules: ReleaseRules) {
  return {
    daysAhead: `留空则按全院：提前 ${rules.daysAhead} 天放号`,
    releaseTime: `留空则按全院：每天 ${rules.releaseTime} 放号`,
    sameDayCutoff: rules.sameDayCutoff ? `留空则按全院：当天 ${rules.sameDayCutoff} 后停止挂当天的号` : '留空则按全院：当天的号不单独截止',
    closeMinutesBefore: `留空则按全院：就诊时段开始前 ${rules.closeMinutesBefore} 分钟停止预约`,
  }
}

function DepartmentEditor({ overview, department, parentId }: { overview: Overview; department?: AdminDepartment; parentId?: string }) {
  const [form, setForm] = useState<DepartmentForm>(() => departmentForm(overview, department, parentId))
  const [failure, setFailure] = useState<FormFailure | undefined>()
  const [done, setDone] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)
  const set = (patch: Partial<DepartmentForm>) => {
    setForm({ ...form, ...patch })
    setDone(undefined)
  }

  const hasClinics = department !== undefined && overview.departments.some((clinic) => clinic.parentId === department._id)
  const parents = overview.departments.filter((candidate) => candidate.parentId === null && candidate._id !== department?._id)
  const parentChoices = [{ value: '', label: '无（这是一级科室）' }, ...parents.map((parent) => ({ value: parent._id, label: parent.name }))]
  const hints = hospitalRuleHints(overview.hospital.releaseRules)

  const save = async () => {
    const rules = releaseRulesFromForm(form)
    if (Object.keys(rules.errors).length > 0) {
      setFailure({ fields: rules.errors, message: '有几处需要修改，请按标出的提示改好后再保存。' })
      return
    }
    setSaving(true)
    setFailure(undefined)
    try {
      const { department: saved } = await saveDepartment({
        ...(department && { id: department._id }),
        parentId: form.parentId || null,
        name: form.name,
        intro: form.intro,
        preparation: form.preparation,
        locationId: form.locationId,
        common: form.common === 'yes',
        sort: form.sort,
        releaseRules: rules.value,
      })
      if (!department) {
        await Taro.redirectTo({ url: adminUrl(ADMIN_DEPARTMENT_PAGE, { id: saved._id, created: '1' }) })
        return
      }
      setDone(`已保存“${saved.name}”。患者几秒内就能看到新的科室信息和放号规则。`)
    } catch (e) {
      setFailure(formFailureOf(e, FIELDS))
    } finally {
      setSaving(false)
    }
  }

  const errors = failure?.fields ?? {}
  return (
    <View className='card admin-form' id='admin-department-form'>
      <Text className='title'>{department ? `修改科室：${department.name}` : '新增科室'}</Text>
      <TextField id='department-name' label='科室名称' value={form.name} onChange={(name) => set({ name })} placeholder='例如 心血管内科' maxlength={20} error={errors.name} />
      {hasClinics ? (
        <FormField id='department-parent' label='上级科室' hint='这个科室下设专科，只能是一级科室。'>
          <Text>无（这是一级科室）</Text>
        </FormField>
      ) : (
        <SelectField id='department-parent' label='上级科室' choices={parentChoices} value={form.parentId} onChange={(parentId) => set({ parentId })} error={errors.parentId} />
      )}
      <TextField id='department-intro' label='科室介绍' multiline maxlength={500} value={form.intro} onChange={(intro) => set({ intro })} placeholder='看什么病、就诊前要准备什么，患者在科室页能看到' error={errors.intro} />
      <TextField
        id='department-preparation'
        label='就诊须知'
        multiline
        maxlength={PREPARATION_MAX_CHARS}
        value={form.preparation}
        onChange={(preparation) => set({ preparation })}
        placeholder='例如：做胃镜前 8 小时请不要吃东西、喝水。请带上以前的检查报告。'
        hint={`患者的就诊凭条和就诊前一天的提醒里会显示；微信提醒只放得下第一句（20 字以内），其余请患者点开查看。最多 ${PREPARATION_MAX_CHARS} 字。${form.parentId ? '留空则显示上级科室的须知。' : ''}`}
        error={errors.preparation}
      />
      <SelectField id='department-location' label='就诊地点' choices={locationChoices(overview)} value={form.locationId} onChange={(locationId) => set({ locationId })} error={errors.locationId} />
      <ChoiceField
        id='department-common'
        label='首页常用科室'
        choices={[
          { value: 'yes', label: '显示在首页' },
          { value: 'no', label: '不显示' },
        ]}
        value={form.common}
        onChange={(common) => set({ common: common as DepartmentForm['common'] })}
        error={errors.common}
      />
      <Text className='admin-section-title'>放号规则</Text>
      <Text className='caption'>只在这个科室需要与全院不同时填写；留空的项目按全院规则执行。</Text>
      <TextField id='department-days-ahead' label='提前几天放号' type='number' value={form.daysAhead} onChange={(daysAhead) => set({ daysAhead })} placeholder='按全院' hint={hints.daysAhead} error={errors['releaseRules.daysAhead']} />
      <TextField id='department-release-time' label='每天放号时间' value={form.releaseTime} onChange={(releaseTime) => set({ releaseTime })} placeholder='例如 07:00' hint={hints.releaseTime} error={errors['releaseRules.releaseTime']} />
      <TextField id='department-cutoff' label='当天挂号截止时间' value={form.sameDayCutoff} onChange={(sameDayCutoff) => set({ sameDayCutoff })} placeholder='例如 11:00' hint={hints.sameDayCutoff} error={errors['releaseRules.sameDayCutoff']} />
      <TextField id='department-close-before' label='就诊前多少分钟停止预约' type='number' value={form.closeMinutesBefore} onChange={(closeMinutesBefore) => set({ closeMinutesBefore })} placeholder='按全院' hint={hints.closeMinutesBefore} error={errors['releaseRules.closeMinutesBefore']} />
      {failure && <FormMessage id='department-message' tone='error' message={failure.message} requestId={failure.requestId} />}
      {done && <FormMessage id='department-message' tone='done' message={done} />}
      <Button ariaRole='button' className='btn btn-primary' id='department-save' {...busyButton(saving)} onClick={() => void save()}>
        保存科室
      </Button>
    </View>
  )
}

export default function AdminDepartmentPage() {
  const { params } = useRouter()
  const { overview, error, reload } = useOverview()
  const department = overview?.departments.find((candidate) => candidate._id === params.id)

  useEffect(() => {
    void Taro.setNavigationBarTitle({ title: params.id ? '修改科室' : '新增科室' })
  }, [params.id])

  return (
    <PageShell>
      {error && <AdminNotice error={error} onRetry={() => void reload()} />}
      {!overview && !error && <Text className='notice-text'>正在加载，请稍等…</Text>}
      {overview && params.id && !department && <Text className='notice-text'>没有找到这个科室，可能已被其他同事修改，请返回医院管理再看看。</Text>}
      {params.created && <FormMessage id='department-created' tone='done' message='科室已新增。可以继续完善，或返回医院管理为它添加医生。' />}
      {overview && (!params.id || department) && <DepartmentEditor overview={overview} department={department} parentId={params.parentId} />}
    </PageShell>
  )
}
