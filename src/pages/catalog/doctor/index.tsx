// 医生: who the doctor is, and a 7/14-day schedule grid whose places left refresh while shown: every couple of
// seconds around a release or when few places are left, every 20 s otherwise (C3, liveRefreshDelay.ts);
// a bookable slot opens the confirm sheet: cell, slot, 确认预约 — three taps to an appointment (B3).
import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { BookingSheet } from '../../../components/BookingSheet'
import { PageShell } from '../../../components/PageShell'
import { ScheduleGrid, SlotPanel, type GridSelection } from '../../../components/ScheduleGrid'
import { useLiveRefresh } from '../../../hooks/useLiveRefresh'
import { usePatientCards, type PatientCards } from '../../../hooks/usePatientCards'
import { isApiError, NETWORK_ERROR_MESSAGE } from '../../../services/api'
import type { Alternative, Appointment } from '../../../services/booking'
import {
  fetchDoctor,
  fetchHospital,
  fetchRules,
  fetchSchedules,
  locationNames,
  type Department,
  type Doctor,
  type RulesExplanation,
  type Schedules,
} from '../../../services/catalog'
import { useUser } from '../../../store/UserContext'
import { describeFee } from '../../../utils/fee'
import { withinDays } from '../../../utils/scheduleCells'
import { findSlot } from '../../../utils/slotTarget'
import { createRefreshTiming } from '../../../utils/liveRefreshDelay'
import { bookingResultUrl, doctorSlotUrl } from '../../../routes'
import './index.scss'

const messageOf = (e: unknown) => (isApiError(e) ? e.message : NETWORK_ERROR_MESSAGE)

interface Profile {
  doctor: Doctor
  department: Department
  rules: RulesExplanation
  locations: Map<string, string>
}

async function loadProfile(doctorId: string): Promise<Profile> {
  const [{ doctor, department }, hospital] = await Promise.all([fetchDoctor(doctorId), fetchHospital()])
  const rules = await fetchRules(department.id)
  return { doctor, department, rules, locations: locationNames(hospital) }
}

/** The latest schedules, polled while the page is visible; unchanged answers cause no re-render. */
function useLiveSchedules(doctorId: string, enabled: boolean) {
  const [schedules, setSchedules] = useState<Schedules>()
  const [failure, setFailure] = useState<string>()
  const last = useRef('')
  const [timing] = useState(createRefreshTiming)
  const refresh = useCallback(async () => {
    try {
      const { schedules: next, now } = await fetchSchedules(doctorId)
      timing.observe(next, now)
      const text = JSON.stringify(next)
      if (text !== last.current) {
        last.current = text
        setSchedules(next)
      }
      setFailure(undefined)
    } catch (e) {
      timing.failed()
      setFailure(messageOf(e))
    }
  }, [doctorId, timing])
  useLiveRefresh(refresh, timing.nextDelay, enabled)
  return { schedules, failure }
}

function DoctorCard({ profile }: { profile: Profile }) {
  const { doctor, department } = profile
  return (
    <View className='card' id='doctor-card'>
      <View className='doctor-head'>
        <Text className='doctor-name'>{doctor.name}</Text>
        <Text className='doctor-title'>{doctor.title}</Text>
      </View>
      <Text className='caption'>{department.name}</Text>
      {doctor.specialty && <Text className='notice-text'>擅长：{doctor.specialty}</Text>}
      {doctor.intro && <Text className='caption'>{doctor.intro}</Text>}
      <Text className='doctor-fee'>{describeFee(doctor.feeClass, doctor.feeFen)}</Text>
      {profile.rules.who && (
        <Text className='notice-text' id='doctor-who'>
          {profile.rules.who}
        </Text>
      )}
    </View>
  )
}

function RangeToggle({ range, onChange }: { range: 7 | 14; onChange: (range: 7 | 14) => void }) {
  return (
    <View className='doctor-range'>
      {([7, 14] as const).map((days) => (
        <View
          key={days}
          id={`range-${days}`}
          className={`doctor-range-option${range === days ? ' doctor-range-active' : ''}`}
          ariaRole='button'
          aria-pressed={range === days ? 'true' : 'false'}
          onClick={() => onChange(days)}
        >
          <Text>{days}天</Text>
        </View>
      ))}
    </View>
  )
}

interface ScheduleCardProps {
  profile: Profile
  schedules?: Schedules
  failure?: string
  patients: PatientCards
  /** A slot to open the confirm sheet on once the schedule is here (a link from another doctor's alternative). */
  initialSlotId?: string
}

function ScheduleCard({ profile, schedules, failure, patients, initialSlotId }: ScheduleCardProps) {
  const [range, setRange] = useState<7 | 14>(7)
  const [selected, setSelected] = useState<GridSelection>()
  const [selectedSlotId, setSelectedSlotId] = useState<string>()
  // `opening` makes every opening a fresh sheet, with its own request id.
  const [sheet, setSheet] = useState<{ slotId: string; opening: number }>()
  const [initialHandled, setInitialHandled] = useState(false)
  const days = schedules?.days.filter((day) => withinDays(day.date, schedules.from, range)) ?? []
  const selectedDay = days.find((day) => day.date === selected?.date)
  const session = selectedDay?.periods.find((period) => period.period === selected?.period)
  const sheetSlot = sheet && schedules ? findSlot(schedules.days, sheet.slotId) : undefined

  const select = (next: GridSelection) => {
    setSelected(next)
    setSelectedSlotId(undefined)
  }

  /** Shows the slot in the grid (the 14-day view if it is further out) and opens the confirm sheet on it. */
  const openSlot = (slotId: string): boolean => {
    const found = schedules && findSlot(schedules.days, slotId)
    if (!found) return false
    if (!withinDays(found.day.date, schedules.from, range)) setRange(14)
    setSelected({ date: found.day.date, period: found.session.period })
    setSelectedSlotId(slotId)
    setSheet((open) => ({ slotId, opening: (open?.opening ?? 0) + 1 }))
    return true
  }

  if (initialSlotId && !initialHandled && schedules) {
    setInitialHandled(true)
    openSlot(initialSlotId)
  }

  const booked = (appointment: Appointment) => {
    setSheet(undefined)
    void Taro.navigateTo({ url: bookingResultUrl(appointment.id) })
  }

  const tryAlternative = (alternative: Alternative) => {
    if (alternative.doctorId === profile.doctor.id && openSlot(alternative.slotId)) return
    setSheet(undefined)
    void Taro.navigateTo({ url: doctorSlotUrl(alternative.doctorId, alternative.slotId) })
  }

  return (
    <View className='card' id='doctor-schedule'>
      <View className='doctor-schedule-head'>
        <Text className='title'>出诊时间</Text>
        <RangeToggle range={range} onChange={setRange} />
      </View>
      <Text className='caption'>{profile.rules.summary}</Text>
      {!schedules && !failure && <Text className='caption'>正在查看余号，请稍等…</Text>}
      {!schedules && failure && <Text className='notice-text'>{failure}。我们会自动再试。</Text>}
      {schedules && failure && <Text className='caption doctor-stale'>网络不太稳定，余号可能不是最新的，正在重新获取…</Text>}
      {schedules && days.length === 0 && (
        <Text className='notice-text'>
          {range === 7 ? '这 7 天医生没有出诊，点“14天”看看后面的安排。' : '近两周医生没有出诊安排，可以看看科室里的其他医生。'}
        </Text>
      )}
      {days.length > 0 && (
        <>
          <Text className='caption'>数字是还能预约的号数，会自动更新，放号前后和余号不多时更新得更快。点一个时段，可以看具体时间。</Text>
          <ScheduleGrid days={days} selected={selected} onSelect={select}>
            {selectedDay && session && (
              <SlotPanel
                day={selectedDay}
                session={session}
                locationName={profile.locations.get(session.locationId)}
                selectedSlotId={selectedSlotId}
                onSelectSlot={(slot) => openSlot(slot.id)}
              />
            )}
          </ScheduleGrid>
        </>
      )}
      {sheet && sheetSlot && (
        <BookingSheet
          key={`${sheet.slotId}-${sheet.opening}`}
          target={{
            slotId: sheet.slotId,
            doctorName: profile.doctor.name,
            doctorTitle: profile.doctor.title,
            departmentName: profile.department.name,
            when: `${sheetSlot.day.label} ${sheetSlot.session.label} ${sheetSlot.slot.window}`,
            location: profile.locations.get(sheetSlot.session.locationId) ?? '请到门诊大厅服务台询问',
            feeFen: sheetSlot.session.feeFen,
            bookable: sheetSlot.slot.bookable,
          }}
          patients={patients}
          onClose={() => setSheet(undefined)}
          onBooked={booked}
          onAlternative={tryAlternative}
        />
      )}
    </View>
  )
}

export default function DoctorPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const { status } = useUser()
  const ready = status === 'ready'
  const [profile, setProfile] = useState<Profile>()
  const [error, setError] = useState<string>()
  const { schedules, failure } = useLiveSchedules(id, ready && profile !== undefined)
  const patients = usePatientCards(ready)

  const load = useCallback(
    () =>
      loadProfile(id).then(
        (loaded) => {
          setProfile(loaded)
          setError(undefined)
          void Taro.setNavigationBarTitle({ title: `${loaded.doctor.name} ${loaded.doctor.title}` })
        },
        (e: unknown) => setError(messageOf(e)),
      ),
    [id],
  )
  useEffect(() => {
    if (ready) void load()
  }, [ready, load])

  return (
    <PageShell>
      {profile && (
        <>
          <DoctorCard profile={profile} />
          <ScheduleCard profile={profile} schedules={schedules} failure={failure} patients={patients} initialSlotId={params.slotId} />
        </>
      )}
      {!profile && !error && <Text className='caption'>正在加载，请稍等一下…</Text>}
      {!profile && error && (
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
