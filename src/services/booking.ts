// The `booking` function: hold a place in one tap, cancel, and the patient's appointments (B2-B4).
import { callFunction } from './api'

export type AppointmentStatus = 'pending_payment' | 'booked' | 'checked_in' | 'completed' | 'no_show' | 'cancelled' | 'expired'

export interface Appointment {
  id: string
  status: AppointmentStatus
  /** 待支付 / 已预约 / 已签到 / 已就诊 / 已爽约 / 已取消 / 已失效 */
  statusLabel: string
  patient: { id: string; name: string }
  doctor: { id: string; name: string; title: string }
  department: { id: string; name: string }
  date: string
  /** 11月29日 上午 09:00-09:30 */
  when: string
  window: string
  start: string
  end: string
  /** 第 N 号 */
  number: number | null
  /** Still expected at the hospital; when false the slip shows no number, arrival time or check-in text. */
  comesIn: boolean
  location: string
  feeFen: number
  /** Set while pending payment: when the place goes back. */
  holdExpiresAt: string | null
  /** Suggested arrival, HH:mm. */
  arriveBy: string
  /** The sentence to show as it is. */
  message: string
  cancel: { allowed: boolean; until: string | null; rule: string }
  /** Priced appointments only (null when free): paid or not, and the refund's progress once there is one (Y4). */
  payment: AppointmentPayment | null
  /** What the hospital told the patient about this appointment (停诊, 替诊), newest first. */
  notices: AppointmentNotice[]
  /** Set when the doctor's session was stopped (停诊). */
  clinicStopped: { label: string; reason: string } | null
  /** Checked in: the live place in the doctor's queue. */
  queue: { ahead: number; sentence: string } | null
  /** 就诊须知 for this visit (the doctor's, else the department's), line breaks kept; '' when there are none. */
  preparation: string
  /** Booked: when self check-in (签到) opens and closes, with the rule as a sentence. */
  checkIn: { opensAt: string; closesAt: string; rule: string } | null
}

/** Another place the hospital suggests after a 停诊, with the page that books it. */
export interface NoticeAlternative {
  kind: 'same_doctor' | 'same_department_day'
  slotId: string
  doctorId: string
  doctorName: string
  when: string
  sentence: string
  bookLink: string
}

export interface AppointmentNotice {
  kind: 'clinic_stopped' | 'doctor_substituted'
  at: string
  text: string
  alternatives: NoticeAlternative[]
  /** Where to book instead; null when nothing needs booking (e.g. after 替诊). */
  bookLink: string | null
}

export type RefundStatus = 'queued' | 'processing' | 'succeeded' | 'failed'

export interface Refund {
  status: RefundStatus
  /** 已原路退款 / 退款处理中，一般 1-3 个工作日到账 / 退款将在次日对账后原路退回 ... */
  label: string
  /** Why the money goes back, as one sentence. */
  sentence: string
  amountFen: number
}

export interface AppointmentPayment {
  paid: boolean
  refund: Refund | null
}

/** The next place the patient could take instead of a full one. */
export interface Alternative {
  slotId: string
  doctorId: string
  doctorName: string
  date: string
  when: string
  sameDoctor: boolean
  /** 王医生 11月30日 上午 09:00-09:30 还有号 */
  sentence: string
}

export type HoldAnswer =
  | { outcome: 'booked' | 'pending_payment'; appointment: Appointment; message: string }
  | { outcome: 'full'; message: string; alternative: Alternative | null }
  | { outcome: 'not_drawn'; message: string; alternative: Alternative | null }
  /** Release by draw: the request is entered; send the same request again from `resultAt` for the result. */
  | { outcome: 'drawing'; message: string; resultAt: string }

export interface HoldRequest {
  slotId: string
  patientId: string
  /** Made once per confirm sheet; the same id on a retry returns the same answer. */
  requestId: string
}

const call = <T>(action: string, params: object = {}) => callFunction<T>('booking', action, params)

/** Appointments this session just booked, so the result page shows the answer the moment it opens. */
const justBooked = new Map<string, Appointment>()

export async function holdSlot(request: HoldRequest): Promise<HoldAnswer> {
  const answer = await call<HoldAnswer>('hold', request)
  if (answer.outcome === 'booked' || answer.outcome === 'pending_payment') justBooked.set(answer.appointment.id, answer.appointment)
  return answer
}

/** The appointment as the hold answered it, if this session booked it; the page still reads it fresh. */
export const justBookedAppointment = (appointmentId: string) => justBooked.get(appointmentId)

export const getAppointment = async (appointmentId: string) => (await call<{ appointment: Appointment }>('get', { appointmentId })).appointment

export const cancelAppointment = async (appointmentId: string) =>
  (await call<{ appointment: Appointment }>('cancel', { appointmentId })).appointment

export const listAppointments = async () => (await call<{ appointments: Appointment[] }>('list')).appointments

export interface SlipShare {
  token: string
  expiresAt: string
  /** The app page that opens the shared slip. */
  path: string
}

/** What the family member who goes sees: read-only, the name masked, a visit code valid through the window. */
export interface SharedSlip {
  status: AppointmentStatus
  statusLabel: string
  comesIn: boolean
  message: string
  patientName: string
  doctor: { id: string; name: string; title: string }
  department: string
  when: string
  start: string
  end: string
  location: string
  number: number | null
  arriveBy: string | null
  /** 就诊须知 while the patient is expected; '' otherwise. */
  preparation: string
  refund: { label: string; sentence: string } | null
  visitCode: { code: string; expiresAt: string } | null
  linkExpiresAt: string
}

export const shareSlip = (appointmentId: string) => call<SlipShare>('shareSlip', { appointmentId })
export const openSharedSlip = async (token: string) => (await call<{ slip: SharedSlip }>('sharedSlip', { token })).slip

/** Whether one of the caller's cards can book a slot; `sentence` says why not, in the hold's own words. */
export interface CardEligibility {
  patientId: string
  canBook: boolean
  code: string | null
  sentence: string | null
}

/** Before the tap: which of the caller's cards the hold would refuse for this slot, and why (B1). */
export async function fetchCardEligibility(slotId: string): Promise<CardEligibility[]> {
  const { cards } = await callFunction<{ cards: CardEligibility[] }>('booking', 'eligibility', { slotId })
  return cards
}

/** Self check-in (签到) from the slip; the server refuses outside the window with a sentence saying when. */
export const checkInAppointment = async (appointmentId: string) =>
  (await call<{ appointment: Appointment }>('checkIn', { appointmentId })).appointment
