// A doctor (new or existing): name, clinic, title, fee class and fee (typed in yuan, stored in fen),
// specialty and intro; for an existing doctor, the way to their clinic times, schedules and 加号.
import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PREPARATION_MAX_CHARS } from '@domain/preparationNotes'
import { PageShell } from '../../../components/PageShell'
import { ADMIN_DOCTOR_PAGE, ADMIN_EXTRA_SLOT_PAGE, ADMIN_GENERATE_PAGE, ADMIN_TEMPLATES_PAGE } from '../../../routes'
import { busyButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { ChoiceField } from '../../components/ChoiceField'
import { TextField } from '../../components/FormField'
import { FormMessage } from '../../components/FormMessage'
import { SearchPickField } from '../../components/SearchPickField'
import { useOverview } from '../../hooks/useOverview'
import { saveDoctor, type AdminDoctor, type Overview } from '../../services/adminApi'
import { adminUrl } from '../../utils/adminUrl'
import { departmentSearchChoices } from '../../utils/catalogChoices'
import { formFailureOf, INLINE_ONLY_MESSAGE, type FormFailure } from '../../utils/fieldErrors'
import { DOCTOR_TITLES, FEE_CLASSES, options } from '../../utils/labels'
import { fenFromYuanText, yuanTextFromFen } from '../../utils/money'
import '../../components/admin.scss'

const FIELDS = ['name', 'departmentId', 'title', 'specialty', 'intro', 'preparation', 'feeClass', 'feeFen', 'active']

interface DoctorForm {
  name: string
  departmentId: string
  title: string
  specialty: string
  intro: string
  preparation: string
  feeClass: string
  feeYuan: string
  active: 'yes' | 'no'
}

function doctorForm(doctor: AdminDoctor | undefined, departmentId: string | undefined): DoctorForm {
  if (!doctor) return { name: '', departmentId: departmentId ?? '', title: '', specialty: '', intro: '', preparation: '', feeClass: '', feeYuan: '', active: 'yes' }
  const { name, title, specialty, intro, feeClass } = doctor
  return { name, departmentId: doctor.departmentId, title, specialty, intro, preparation: doctor.preparation ?? '', feeClass, feeYuan: yuanTextFromFen(doctor.feeFen), active: doctor.active ? 'yes' : 'no' }
}

function DoctorEditor({ overview, doctor, departmentId }: { overview: Overview; doctor?: AdminDoctor; departmentId?: string }) {
  const [form, setForm] = useState<DoctorForm>(() => doctorForm(doctor, departmentId))
  const [failure, setFailure] = useState<FormFailure | undefined>()
  const [done, setDone] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)
  const set = (patch: Partial<DoctorForm>) => {
    setForm({ ...form, ...patch })
    setDone(undefined)
  }

  const save = async () => {
    const feeFen = fenFromYuanText(form.feeYuan)
    if (feeFen === undefined) {
      setFailure({ fields: { feeFen: '挂号费请填写金额（元），例如 25 或 25.5；免费请填 0' }, message: INLINE_ONLY_MESSAGE })
      return
    }
    setSaving(true)
    setFailure(undefined)
    try {
      const { doctor: saved } = await saveDoctor({
        ...(doctor && { id: doctor._id }),
        departmentId: form.departmentId,
        name: form.name,
        title: form.title,
        specialty: form.specialty,
        intro: form.intro,
        preparation: form.preparation,
        feeClass: form.feeClass,
        feeFen,
        active: form.active === 'yes',
      })
      if (!doctor) {
        await Taro.redirectTo({ url: adminUrl(ADMIN_DOCTOR_PAGE, { id: saved._id, created: '1' }) })
        return
      }
      setDone(`已保存${saved.name}医生的资料。挂号费的变化会在下次“生成排班”时用到还没有人预约的出诊上。`)
    } catch (e) {
      setFailure(formFailureOf(e, FIELDS))
    } finally {
      setSaving(false)
    }
  }

  const errors = failure?.fields ?? {}
  return (
    <View className='card admin-form' id='admin-doctor-form'>
      <Text className='title'>{doctor ? `${doctor.name}的资料` : '添加医生'}</Text>
      <TextField id='doctor-name' label='姓名' value={form.name} onChange={(name) => set({ name })} maxlength={20} error={errors.name} />
      <SearchPickField id='doctor-department' label='所在科室' choices={departmentSearchChoices(overview)} value={form.departmentId} onChange={(value) => set({ departmentId: value })} placeholder='输入科室名称或拼音首字母，例如 pfk' error={errors.departmentId} />
      <ChoiceField id='doctor-title' label='职称' choices={options(DOCTOR_TITLES)} value={form.title} onChange={(title) => set({ title })} error={errors.title} />
      <ChoiceField id='doctor-fee-class' label='号别' choices={options(FEE_CLASSES, { 普通: '普通号', 专家: '专家号', 特需: '特需号' })} value={form.feeClass} onChange={(feeClass) => set({ feeClass })} error={errors.feeClass} />
      <TextField id='doctor-fee' label='挂号费（元）' type='digit' value={form.feeYuan} onChange={(feeYuan) => set({ feeYuan })} placeholder='例如 25' maxlength={9} error={errors.feeFen} />
      <TextField id='doctor-specialty' label='擅长' value={form.specialty} onChange={(specialty) => set({ specialty })} placeholder='例如 高血压、冠心病' error={errors.specialty} />
      <TextField id='doctor-intro' label='简介' multiline maxlength={1000} value={form.intro} onChange={(intro) => set({ intro })} placeholder='患者在医生页能看到' error={errors.intro} />
      <TextField
        id='doctor-preparation'
        label='就诊须知（本医生）'
        multiline
        maxlength={PREPARATION_MAX_CHARS}
        value={form.preparation}
        onChange={(preparation) => set({ preparation })}
        placeholder='留空则按科室的就诊须知'
        hint='只在这位医生的患者需要与科室不同的准备时填写，填写后代替科室的须知。'
        error={errors.preparation}
      />
      <ChoiceField
        id='doctor-active'
        label='出诊状态'
        choices={[
          { value: 'yes', label: '正常出诊' },
          { value: 'no', label: '暂停出诊' },
        ]}
        value={form.active}
        onChange={(active) => set({ active: active as DoctorForm['active'] })}
        hint='暂停出诊后，重新生成排班时不再为这位医生排号；已有人预约的出诊会保留。'
        error={errors.active}
      />
      {failure && <FormMessage id='doctor-message' tone='error' message={failure.message} requestId={failure.requestId} />}
      {done && <FormMessage id='doctor-message' tone='done' message={done} />}
      <Button ariaRole='button' className='btn btn-primary' id='doctor-save' {...busyButton(saving)} onClick={() => void save()}>
        保存资料
      </Button>
    </View>
  )
}

function ScheduleLinks({ doctor }: { doctor: AdminDoctor }) {
  const open = (page: string) => void Taro.navigateTo({ url: adminUrl(page, { doctorId: doctor._id }) })
  return (
    <View className='card'>
      <Text className='title'>出诊与号源</Text>
      <Text className='caption'>先在出诊模板里定好每周几、上午还是下午出诊，再生成排班，患者才能挂到号。</Text>
      <View className='admin-actions'>
        <Button ariaRole='button' className='btn btn-primary' id='doctor-open-templates' onClick={() => open(ADMIN_TEMPLATES_PAGE)}>
          出诊模板
        </Button>
        <Button ariaRole='button' className='btn btn-secondary' id='doctor-open-generate' onClick={() => open(ADMIN_GENERATE_PAGE)}>
          生成排班
        </Button>
        <Button ariaRole='button' className='btn btn-secondary' id='doctor-open-extra-slot' onClick={() => open(ADMIN_EXTRA_SLOT_PAGE)}>
          加号
        </Button>
      </View>
    </View>
  )
}

export default function AdminDoctorPage() {
  const { params } = useRouter()
  const { overview, error, reload } = useOverview()
  const doctor = overview?.doctors.find((candidate) => candidate._id === params.id)

  useEffect(() => {
    void Taro.setNavigationBarTitle({ title: params.id ? '医生资料' : '添加医生' })
  }, [params.id])

  return (
    <PageShell>
      {error && <AdminNotice error={error} onRetry={() => void reload()} />}
      {!overview && !error && <Text className='notice-text'>正在加载，请稍等…</Text>}
      {overview && params.id && !doctor && <Text className='notice-text'>没有找到这位医生，请返回医院管理再看看。</Text>}
      {params.created && <FormMessage id='doctor-created' tone='done' message='医生已添加。下一步：在“出诊模板”里定好出诊时间，再生成排班。' />}
      {doctor && <ScheduleLinks doctor={doctor} />}
      {overview && (!params.id || doctor) && <DoctorEditor overview={overview} doctor={doctor} departmentId={params.departmentId} />}
    </PageShell>
  )
}
