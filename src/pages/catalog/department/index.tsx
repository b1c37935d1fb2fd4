// 科室: what the department treats, its release rules in plain words, and its doctors with their next free day.
import { useCallback, useEffect, useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { isApiError, NETWORK_ERROR_MESSAGE } from '../../../services/api'
import {
  fetchDepartments,
  fetchDoctors,
  fetchRules,
  type Department,
  type DoctorWithNext,
  type RulesExplanation,
} from '../../../services/catalog'
import { useUser } from '../../../store/UserContext'
import { describeFee } from '../../../utils/fee'
import { departmentPageUrl, doctorPageUrl } from '../../../routes'
import './index.scss'

interface DepartmentData {
  department: Department
  doctors: DoctorWithNext[]
  rules: RulesExplanation
  /** Clinics under a first-level department; empty for a clinic. */
  clinics: Department[]
  parent?: Department
}

async function loadDepartment(id: string): Promise<DepartmentData> {
  const [{ department, doctors }, rules, all] = await Promise.all([fetchDoctors(id), fetchRules(id), fetchDepartments()])
  return {
    department,
    doctors,
    rules,
    clinics: all.filter((entry) => entry.parentId === department.id),
    parent: all.find((entry) => entry.id === department.parentId),
  }
}

function RulesBox({ rules }: { rules: RulesExplanation }) {
  return (
    <>
      {rules.who && (
        <View className='card' id='department-who'>
          <Text className='title'>就诊人要求</Text>
          <Text className='notice-text'>{rules.who}</Text>
        </View>
      )}
      <View className='card department-rules' id='release-rules'>
        <Text className='title'>放号规则</Text>
        <Text className='notice-text'>{rules.summary}</Text>
        <Text className='notice-text department-rules-example'>举个例子：{rules.example}</Text>
        {rules.details.map((detail) => (
          <Text className='caption' key={detail}>
            {detail}
          </Text>
        ))}
      </View>
    </>
  )
}

function DoctorItem({ doctor }: { doctor: DoctorWithNext }) {
  const next = doctor.nextAvailable
  return (
    <View
      className='card department-doctor'
      ariaRole='button'
      data-doctor-id={doctor.id}
      onClick={() => void Taro.navigateTo({ url: doctorPageUrl(doctor.id) })}
    >
      <View className='department-doctor-head'>
        <Text className='title'>{doctor.name}</Text>
        <Text className='department-doctor-title'>{doctor.title}</Text>
      </View>
      {doctor.specialty && <Text className='notice-text'>擅长：{doctor.specialty}</Text>}
      <Text className='caption'>{describeFee(doctor.feeClass, doctor.feeFen)}</Text>
      {next ? (
        <Text className='department-doctor-next'>
          最近可约：{next.label}，余 {next.placesLeft} 个号
        </Text>
      ) : (
        <Text className='department-doctor-none'>近期无号</Text>
      )}
    </View>
  )
}

function ClinicList({ clinics }: { clinics: Department[] }) {
  return (
    <View className='department-section'>
      <Text className='title'>请选择具体的门诊</Text>
      {clinics.map((clinic) => (
        <View
          key={clinic.id}
          className='card department-clinic'
          ariaRole='button'
          onClick={() => void Taro.navigateTo({ url: departmentPageUrl(clinic.id) })}
        >
          <Text className='title department-clinic-name'>{clinic.name}</Text>
          <Text className='caption'>{clinic.intro}</Text>
        </View>
      ))}
    </View>
  )
}

function DepartmentContent({ data }: { data: DepartmentData }) {
  const { department, doctors, rules, clinics, parent } = data
  return (
    <>
      <View className='card' id='department-intro'>
        <Text className='department-name'>{department.name}</Text>
        {parent && <Text className='caption'>属于{parent.name}</Text>}
        {department.intro && <Text className='notice-text'>{department.intro}</Text>}
      </View>
      <RulesBox rules={rules} />
      {clinics.length > 0 && <ClinicList clinics={clinics} />}
      {(doctors.length > 0 || clinics.length === 0) && (
        <View className='department-section' id='department-doctors'>
          <Text className='title'>出诊医生</Text>
          {doctors.length === 0 && <Text className='notice-text'>这个科室暂时没有安排医生出诊，请看看其他科室。</Text>}
          {doctors.map((doctor) => (
            <DoctorItem key={doctor.id} doctor={doctor} />
          ))}
        </View>
      )}
    </>
  )
}

export default function DepartmentPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const { status } = useUser()
  const ready = status === 'ready'
  const [data, setData] = useState<DepartmentData>()
  const [error, setError] = useState<string>()

  const load = useCallback(
    () =>
      loadDepartment(id).then(
        (loaded) => {
          setData(loaded)
          setError(undefined)
          void Taro.setNavigationBarTitle({ title: loaded.department.name })
        },
        (e: unknown) => setError(isApiError(e) ? e.message : NETWORK_ERROR_MESSAGE),
      ),
    [id],
  )
  useEffect(() => {
    if (ready) void load()
  }, [ready, load])
  // Back from a doctor's page the places left may have changed: fetch them again, quietly.
  useDidShow(() => {
    if (data && ready) void load()
  })

  return (
    <PageShell>
      {data && <DepartmentContent data={data} />}
      {!data && !error && <Text className='caption'>正在加载，请稍等一下…</Text>}
      {!data && error && (
        <View className='card'>
          <Text className='notice-text'>{error}</Text>
          <Button ariaRole='button' className='btn btn-primary' onClick={() => void load()}>
            再试一次
          </Button>
        </View>
      )}
    </PageShell>
  )
}
