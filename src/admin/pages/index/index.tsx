// 医院管理 in four sections, one on screen at a time with large buttons: 临床日 (签到, 患者查询, 停诊, 窗口加号),
// 排班 (departments as a tree with their doctors, generating schedules, 加号), 消息 and 记录 (操作记录, 对账).
import { useRef, useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import {
  ADMIN_AUDIT_PAGE,
  ADMIN_CHECK_IN_PAGE,
  ADMIN_DEPARTMENT_PAGE,
  ADMIN_DOCTOR_PAGE,
  ADMIN_EXTRA_SLOT_PAGE,
  ADMIN_GENERATE_PAGE,
  ADMIN_HOME_CONTENT_PAGE,
  ADMIN_LOOKUP_PAGE,
  ADMIN_MESSAGES_PAGE,
  ADMIN_RECONCILIATION_PAGE,
  ADMIN_SCRIPTING_PAGE,
  ADMIN_STOP_CLINIC_PAGE,
} from '../../../routes'
import { AdminNotice } from '../../components/AdminNotice'
import { locationName, useOverview } from '../../hooks/useOverview'
import type { AdminDepartment, AdminDoctor, Overview } from '../../services/adminApi'
import { adminUrl } from '../../utils/adminUrl'
import { yuanTextFromFen } from '../../utils/money'
import '../../components/admin.scss'
import './index.scss'

const open = (url: string) => void Taro.navigateTo({ url })

function DoctorRow({ doctor }: { doctor: AdminDoctor }) {
  const fee = doctor.feeFen === 0 ? '免费' : `${yuanTextFromFen(doctor.feeFen)} 元`
  return (
    <View
      className='admin-row admin-doctor'
      id={`admin-doctor-${doctor._id}`}
      ariaRole='button'
      ariaLabel={`${doctor.name}，${doctor.title}`}
      onClick={() => open(adminUrl(ADMIN_DOCTOR_PAGE, { id: doctor._id }))}
    >
      <View className='admin-row-text'>
        <Text>{doctor.name}</Text>
        <Text className='caption'>
          {doctor.title} · {doctor.feeClass}号 {fee}
          {!doctor.active && ' · 暂停出诊'}
        </Text>
      </View>
      <Text className='caption'>管理</Text>
    </View>
  )
}

function Clinic({ clinic, doctors }: { clinic: AdminDepartment; doctors: AdminDoctor[] }) {
  return (
    <View className='admin-clinic'>
      <View
        className='admin-row'
        id={`admin-department-${clinic._id}`}
        ariaRole='button'
        ariaLabel={`修改${clinic.name}`}
        onClick={() => open(adminUrl(ADMIN_DEPARTMENT_PAGE, { id: clinic._id }))}
      >
        <View className='admin-clinic-head'>
          <Text className='admin-clinic-name'>{clinic.name}</Text>
          {clinic.common && <Text className='admin-tag'>首页常用</Text>}
        </View>
        <Text className='caption'>修改科室</Text>
      </View>
      {doctors.length === 0 && <Text className='caption admin-doctor'>还没有医生</Text>}
      {doctors.map((doctor) => (
        <DoctorRow key={doctor._id} doctor={doctor} />
      ))}
      <View className='admin-link admin-doctor' ariaRole='button' onClick={() => open(adminUrl(ADMIN_DOCTOR_PAGE, { departmentId: clinic._id }))}>
        <Text>＋ 在{clinic.name}添加医生</Text>
      </View>
    </View>
  )
}

function DepartmentTree({ overview }: { overview: Overview }) {
  const doctorsOf = (departmentId: string) => overview.doctors.filter((doctor) => doctor.departmentId === departmentId)
  const firstLevel = overview.departments.filter((department) => department.parentId === null)
  return (
    <>
      {firstLevel.map((department) => {
        const clinics = overview.departments.filter((clinic) => clinic.parentId === department._id)
        return (
          <View key={department._id} className='card'>
            <View
              className='admin-row'
              id={`admin-department-${department._id}`}
              ariaRole='button'
              ariaLabel={`修改${department.name}`}
              onClick={() => open(adminUrl(ADMIN_DEPARTMENT_PAGE, { id: department._id }))}
            >
              <View className='admin-row-text'>
                <Text className='title'>{department.name}</Text>
                <Text className='caption'>
                  {locationName(overview, department.locationId)} · {clinics.length} 个专科
                </Text>
              </View>
              <Text className='caption'>修改科室</Text>
            </View>
            {doctorsOf(department._id).map((doctor) => (
              <DoctorRow key={doctor._id} doctor={doctor} />
            ))}
            {clinics.map((clinic) => (
              <Clinic key={clinic._id} clinic={clinic} doctors={doctorsOf(clinic._id)} />
            ))}
            <View className='admin-link' ariaRole='button' onClick={() => open(adminUrl(ADMIN_DEPARTMENT_PAGE, { parentId: department._id }))}>
              <Text>＋ 在{department.name}下添加专科</Text>
            </View>
          </View>
        )
      })}
    </>
  )
}

const SECTIONS = [
  { value: 'clinic', label: '临床日' },
  { value: 'schedule', label: '排班' },
  { value: 'messages', label: '消息' },
  { value: 'records', label: '记录' },
] as const
type Section = (typeof SECTIONS)[number]['value']

function SectionTabs({ section, onChange }: { section: Section; onChange: (section: Section) => void }) {
  return (
    <View className='admin-sections-box'>
      <View className='admin-sections' ariaRole='tablist' ariaLabel='管理功能分区'>
      {SECTIONS.map((entry) => (
        <View
          key={entry.value}
          id={`admin-section-${entry.value}`}
          className={`admin-section-tab ${entry.value === section ? 'admin-section-tab-on' : ''}`}
          ariaRole='tab'
          aria-selected={entry.value === section ? 'true' : 'false'}
          ariaLabel={entry.label}
          onClick={() => onChange(entry.value)}
        >
          <Text>{entry.label}</Text>
        </View>
      ))}
      </View>
    </View>
  )
}

function BigLink({ id, label, primary, url }: { id: string; label: string; primary?: boolean; url: string }) {
  return (
    <Button ariaRole='button' className={`btn ${primary ? 'btn-primary' : 'btn-secondary'}`} id={id} onClick={() => open(url)}>
      {label}
    </Button>
  )
}

function SectionBody({ section, overview }: { section: Section; overview: Overview }) {
  if (section === 'clinic') {
    return (
      <View className='card' id='admin-clinic-day'>
        <Text className='title'>今天的门诊</Text>
        <View className='admin-actions'>
          <BigLink id='admin-open-check-in' label='签到' primary url={ADMIN_CHECK_IN_PAGE} />
          <BigLink id='admin-open-lookup' label='患者查询' url={ADMIN_LOOKUP_PAGE} />
          <BigLink id='admin-open-desk-place' label='给窗口患者加号' url={adminUrl(ADMIN_EXTRA_SLOT_PAGE, { mode: 'desk' })} />
          <BigLink id='admin-open-stop-clinic' label='停诊和替诊' url={ADMIN_STOP_CLINIC_PAGE} />
        </View>
      </View>
    )
  }
  if (section === 'messages') {
    return (
      <View className='card' id='admin-messages-section'>
        <Text className='title'>消息</Text>
        <Text className='caption'>看预约成功、停诊、就诊提醒等通知发出去了多少、有没有发不出去的。</Text>
        <BigLink id='admin-open-messages' label='消息发送' primary url={ADMIN_MESSAGES_PAGE} />
        <Text className='caption'>首页上给患者看的公告，和医院的地址、电话、地图位置。</Text>
        <BigLink id='admin-open-home-content' label='公告与医院信息' url={ADMIN_HOME_CONTENT_PAGE} />
      </View>
    )
  }
  if (section === 'records') {
    return (
      <View className='card' id='admin-records'>
        <Text className='title'>记录</Text>
        <View className='admin-actions'>
          <BigLink id='admin-open-audit' label='操作记录' primary url={ADMIN_AUDIT_PAGE} />
          <BigLink id='admin-open-reconciliation' label='对账报告' url={ADMIN_RECONCILIATION_PAGE} />
          <BigLink id='admin-open-scripting' label='疑似抢号脚本' url={ADMIN_SCRIPTING_PAGE} />
        </View>
      </View>
    )
  }
  return (
    <>
      <View className='card' id='admin-home'>
        <Text className='title'>{overview.hospital.name}</Text>
        <Text className='caption'>
          共 {overview.departments.length} 个科室、{overview.doctors.length} 位医生。点科室可修改科室和放号规则，点医生可修改资料和出诊时间。
        </Text>
        <View className='admin-actions'>
          <BigLink id='admin-open-generate' label='生成排班' primary url={ADMIN_GENERATE_PAGE} />
          <BigLink id='admin-open-extra-slot' label='加号' url={ADMIN_EXTRA_SLOT_PAGE} />
          <BigLink id='admin-new-department' label='新增一级科室' url={ADMIN_DEPARTMENT_PAGE} />
        </View>
      </View>
      <DepartmentTree overview={overview} />
    </>
  )
}

export default function AdminHomePage() {
  const { params } = useRouter()
  const [section, setSection] = useState<Section>(() => SECTIONS.find((entry) => entry.value === params.section)?.value ?? 'clinic')
  const { overview, error, reload } = useOverview()
  // Coming back from an edit page shows the saved names at once.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void reload()
    shown.current = true
  })

  return (
    <PageShell>
      {error && <AdminNotice error={error} onRetry={() => void reload()} />}
      {!overview && !error && <Text className='notice-text'>正在加载，请稍等…</Text>}
      {overview && (
        <>
          <SectionTabs section={section} onChange={setSection} />
          <SectionBody section={section} overview={overview} />
        </>
      )}
    </PageShell>
  )
}
