// 医院管理: departments as a tree with their doctors, the way into every schedule task, and the daily payment reconciliation.
import { useRef } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
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

export default function AdminHomePage() {
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
          <View className='card' id='admin-clinic-day'>
            <Text className='title'>今天的门诊</Text>
            <View className='admin-actions'>
              <Button ariaRole='button' className='btn btn-primary' id='admin-open-check-in' onClick={() => open(ADMIN_CHECK_IN_PAGE)}>
                签到
              </Button>
              <Button ariaRole='button' className='btn btn-secondary' id='admin-open-lookup' onClick={() => open(ADMIN_LOOKUP_PAGE)}>
                患者查询
              </Button>
              <Button ariaRole='button' className='btn btn-secondary' id='admin-open-stop-clinic' onClick={() => open(ADMIN_STOP_CLINIC_PAGE)}>
                停诊和替诊
              </Button>
              <Button ariaRole='button' className='btn btn-secondary' id='admin-open-audit' onClick={() => open(ADMIN_AUDIT_PAGE)}>
                操作记录
              </Button>
            </View>
          </View>
          <View className='card' id='admin-home'>
            <Text className='title'>{overview.hospital.name}</Text>
            <Text className='caption'>
              共 {overview.departments.length} 个科室、{overview.doctors.length} 位医生。点科室可修改科室和放号规则，点医生可修改资料和出诊时间。
            </Text>
            <View className='admin-actions'>
              <Button ariaRole='button' className='btn btn-primary' id='admin-open-generate' onClick={() => open(ADMIN_GENERATE_PAGE)}>
                生成排班
              </Button>
              <Button ariaRole='button' className='btn btn-secondary' id='admin-open-extra-slot' onClick={() => open(ADMIN_EXTRA_SLOT_PAGE)}>
                加号
              </Button>
              <Button ariaRole='button' className='btn btn-secondary' id='admin-open-reconciliation' onClick={() => open(ADMIN_RECONCILIATION_PAGE)}>
                对账报告
              </Button>
              <Button ariaRole='button' className='btn btn-secondary' id='admin-open-messages' onClick={() => open(ADMIN_MESSAGES_PAGE)}>
                消息发送
              </Button>
              <Button ariaRole='button' className='btn btn-secondary' id='admin-open-home-content' onClick={() => open(ADMIN_HOME_CONTENT_PAGE)}>
                公告与医院信息
              </Button>
              <Button ariaRole='button' className='btn btn-secondary' id='admin-new-department' onClick={() => open(ADMIN_DEPARTMENT_PAGE)}>
                新增一级科室
              </Button>
            </View>
          </View>
          <DepartmentTree overview={overview} />
        </>
      )}
    </PageShell>
  )
}
