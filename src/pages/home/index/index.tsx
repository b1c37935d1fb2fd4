// 首页: a greeting, one search over departments and doctors (name, pinyin initials or 擅长), 医院公告, the
// next visit with its code, 常用科室, every department by group, and the hospital's address and phone.
import { useCallback, useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import { ElderModeOffer, ElderModeSwitch } from '../../../components/ElderModeSwitch'
import { PageShell } from '../../../components/PageShell'
import { HospitalInfo } from '../../../components/HospitalInfo'
import { NextVisit } from '../../../components/NextVisit'
import { NoticeList } from '../../../components/NoticeList'
import { isApiError, NETWORK_ERROR_MESSAGE } from '../../../services/api'
import { fetchDepartments, searchCatalog, type Department, type FoundDoctor } from '../../../services/catalog'
import { useUser } from '../../../store/UserContext'
import { greetingFor } from '../../../utils/greeting'
import { groupDepartments, parentName } from '../../../utils/groupDepartments'
import { departmentPageUrl, doctorPageUrl } from '../../../routes'
import { useHomeExtras } from './useHomeExtras'
import './index.scss'

const SEARCH_DELAY_MS = 300

const messageOf = (e: unknown) => (isApiError(e) ? e.message : NETWORK_ERROR_MESSAGE)

function openDepartment(department: Department) {
  void Taro.navigateTo({ url: departmentPageUrl(department.id) })
}

function DepartmentButton({ department, caption }: { department: Department; caption?: string }) {
  return (
    <View
      className='home-department'
      ariaRole='button'
      data-department-id={department.id}
      onClick={() => openDepartment(department)}
    >
      <Text className='home-department-name'>{department.name}</Text>
      {caption && <Text className='caption'>{caption}</Text>}
    </View>
  )
}

function DoctorButton({ doctor }: { doctor: FoundDoctor }) {
  return (
    <View className='home-doctor' ariaRole='button' data-doctor-id={doctor.id} onClick={() => void Taro.navigateTo({ url: doctorPageUrl(doctor.id) })}>
      <Text className='home-doctor-name'>
        {doctor.name} {doctor.title}
      </Text>
      <Text className='notice-text'>{doctor.departmentName}</Text>
      {doctor.specialty && <Text className='caption'>擅长：{doctor.specialty}</Text>}
    </View>
  )
}

interface SearchResult {
  keyword: string
  departments?: Department[]
  doctors?: FoundDoctor[]
  error?: string
}

/** Asks the server once the patient pauses typing; an answer that arrives after a newer keyword is dropped. */
function useDepartmentSearch(keyword: string, enabled: boolean): SearchResult | undefined {
  const [result, setResult] = useState<SearchResult>()
  useEffect(() => {
    if (!enabled || !keyword) return
    let current = true
    const timer = setTimeout(() => {
      searchCatalog(keyword).then(
        ({ departments, doctors }) => current && setResult({ keyword, departments, doctors }),
        (e: unknown) => current && setResult({ keyword, error: messageOf(e) }),
      )
    }, SEARCH_DELAY_MS)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [keyword, enabled])
  // While the next answer is on its way the previous one stays up, so the list does not blink.
  return result
}

function SearchResults({ result, all }: { result?: SearchResult; all: Department[] }) {
  if (!result) return <Text className='caption home-status'>正在为您查找…</Text>
  if (result.error) return <Text className='notice-text home-status'>{result.error}</Text>
  const departments = result.departments ?? []
  const doctors = result.doctors ?? []
  if (departments.length === 0 && doctors.length === 0) {
    return (
      <Text className='notice-text home-status'>
        没有找到和“{result.keyword}”有关的科室或医生。换个说法试试，比如“皮肤”、医生的名字，或者拼音首字母“pf”。
      </Text>
    )
  }
  return (
    <>
      {departments.length > 0 && (
        <View className='home-grid'>
          {departments.map((department) => (
            <DepartmentButton key={department.id} department={department} caption={parentName(department, all)} />
          ))}
        </View>
      )}
      {doctors.length > 0 && (
        <View className='home-doctors' id='search-doctors'>
          <Text className='home-group-name'>医生</Text>
          {doctors.map((doctor) => (
            <DoctorButton key={doctor.id} doctor={doctor} />
          ))}
        </View>
      )}
    </>
  )
}

function DepartmentDirectory({ departments }: { departments: Department[] }) {
  const common = departments.filter((department) => department.common)
  const groups = groupDepartments(departments)
  return (
    <>
      {common.length > 0 && (
        <View className='home-section' id='common-departments'>
          <Text className='title'>常用科室</Text>
          <View className='home-grid'>
            {common.map((department) => (
              <DepartmentButton key={department.id} department={department} />
            ))}
          </View>
        </View>
      )}
      <View className='home-section' id='all-departments'>
        <Text className='title'>全部科室</Text>
        {groups.map(({ group, clinics }) => (
          <View className='home-group' key={group.id}>
            <Text className='home-group-name'>{group.name}</Text>
            <View className='home-grid'>
              {(clinics.length ? clinics : [group]).map((department) => (
                <DepartmentButton key={department.id} department={department} />
              ))}
            </View>
          </View>
        ))}
      </View>
    </>
  )
}

export default function HomePage() {
  // The 我的 tab shows how many messages are unread.
  const greeting = greetingFor(new Date().getHours())
  const { status } = useUser()
  const ready = status === 'ready'
  const [input, setInput] = useState('')
  const keyword = input.trim()
  const [departments, setDepartments] = useState<Department[]>()
  const [loadError, setLoadError] = useState<string>()
  const searchResult = useDepartmentSearch(keyword, ready)

  const load = useCallback(
    () =>
      fetchDepartments().then(
        (all) => {
          setDepartments(all)
          setLoadError(undefined)
        },
        (e: unknown) => setLoadError(messageOf(e)),
      ),
    [],
  )
  // The catalog needs a signed-in caller, so it loads once login has finished.
  useEffect(() => {
    if (ready) void load()
  }, [ready, load])
  // After the departments' effect, so the departments are asked for first.
  const { hospital, notices, next } = useHomeExtras(ready)

  return (
    <PageShell auth='optional'>
      <View className='home-hero'>
        <Text className='home-greeting' id='home-greeting'>
          {greeting}，欢迎来到医约
        </Text>
        <Text className='caption'>在手机上预约挂号，少排队，少跑腿。</Text>
      </View>
      <ElderModeOffer />
      <View className='home-search' ariaRole='search'>
        <Input
          className='home-search-input'
          id='department-search'
          type='text'
          confirmType='search'
          value={input}
          placeholder='搜科室、医生或病症，如“皮肤”“高血压”'
          placeholderClass='home-search-placeholder'
          ariaLabel='搜索科室或医生，可以输入科室名称、医生姓名、病症或拼音首字母'
          onInput={(event) => setInput(event.detail.value)}
        />
        {input && (
          <View className='home-search-clear' ariaRole='button' ariaLabel='清除搜索内容' onClick={() => setInput('')}>
            <Text>清除</Text>
          </View>
        )}
      </View>
      {ready && keyword && (
        <View className='home-section' id='search-results'>
          <SearchResults result={searchResult} all={departments ?? []} />
        </View>
      )}
      {ready && !keyword && notices && <NoticeList notices={notices} />}
      {ready && !keyword && next && <NextVisit appointment={next} />}
      {ready && !keyword && departments && <DepartmentDirectory departments={departments} />}
      {ready && !keyword && !departments && !loadError && (
        <Text className='caption home-status'>正在加载科室，请稍等一下…</Text>
      )}
      {ready && !departments && loadError && (
        <View className='card'>
          <Text className='notice-text'>{loadError}</Text>
          <Button ariaRole='button' className='btn btn-primary' onClick={() => void load()}>
            再试一次
          </Button>
        </View>
      )}
      {ready && !keyword && hospital && <HospitalInfo hospital={hospital} />}
      {ready && <ElderModeSwitch id='home-elder-mode' />}
    </PageShell>
  )
}
