// What the home page shows around the departments: the hospital's address and phone, 公告 showing today
// and the next visit. Each is optional: one that fails to load is left out rather than blocking booking.
import { useCallback, useEffect, useRef, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { listAppointments, type Appointment } from '../../../services/booking'
import { fetchHospital, fetchNotices, type Hospital, type Notice } from '../../../services/catalog'
import { nextAppointment } from '../../../utils/appointmentGroups'

export interface HomeExtras {
  hospital?: Hospital
  notices?: Notice[]
  next?: Appointment
}

export function useHomeExtras(ready: boolean): HomeExtras {
  const [extras, setExtras] = useState<HomeExtras>({})
  const merge = (part: HomeExtras) => setExtras((previous) => ({ ...previous, ...part }))
  const skip = () => undefined

  // Notices and the next visit change while the app is open (a booking, a notice posted): read again on show.
  const refresh = useCallback(() => {
    fetchNotices().then((notices) => merge({ notices }), skip)
    // On a failed read no visit is shown rather than one that may have been cancelled meanwhile.
    listAppointments().then((list) => merge({ next: nextAppointment(list) }), () => merge({ next: undefined }))
  }, [])

  useEffect(() => {
    if (!ready) return
    fetchHospital().then((hospital) => merge({ hospital }), skip)
    refresh()
  }, [ready, refresh])

  // The first show is the mount, already loading above.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current && ready) refresh()
    shown.current = true
  })
  return extras
}
