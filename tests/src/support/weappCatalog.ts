// A small catalog made through the real admin function for the simulate tests: the hospital, one
// department, and doctors who see patients every morning 08:00-09:00 in 30-minute slots.
import { main as userMain } from '../../../cloudfunctions/user'
import { admin, ADMIN, dayFromToday, seedHospital } from '../../support/catalog'
import { callAs, dataOf, type TestRuntime } from '../../support/runtime'

type Saved<K extends string> = Record<K, { _id: { toString(): string } }>

export interface DoctorForm {
  name: string
  title: string
  feeClass: string
  feeFen: number
  /** The doctor's own 就诊须知. */
  preparation?: string
}

/** Creates the doctors and their next 14 days of slots; answers their ids in the same order. */
export async function seedDoctors(runtime: TestRuntime, doctors: DoctorForm[], placesPerSlot = 3): Promise<string[]> {
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }))
  await seedHospital(runtime)
  const { department } = await admin<Saved<'department'>>({ action: 'saveDepartment', name: '皮肤科', locationId: 'opd-3b' })
  const ids: string[] = []
  for (const form of doctors) {
    const { doctor } = await admin<Saved<'doctor'>>({ action: 'saveDoctor', departmentId: department._id.toString(), specialty: '', intro: '', ...form })
    ids.push(doctor._id.toString())
    for (let weekday = 1; weekday <= 7; weekday++) {
      await admin({ action: 'saveTemplate', doctorId: doctor._id.toString(), weekday, period: 'morning', startTime: '08:00', endTime: '09:00', slotMinutes: 30, placesPerSlot, locationId: 'opd-3b' })
    }
  }
  await admin({ action: 'generateSchedules', from: dayFromToday(0), to: dayFromToday(13) })
  return ids
}

/** "12月2日" for the day `offset` days from today, as the pages write dates. */
export function monthDay(offset: number): string {
  const [, month, day] = dayFromToday(offset).split('-').map(Number)
  return `${month}月${day}日`
}
