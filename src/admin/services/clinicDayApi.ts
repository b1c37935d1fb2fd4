// The clinic day at the counter (A2, A3, A5, B1): 停诊 and 替诊 jobs, 签到, the patient look-up and the
// audit trail, all actions of the `admin` function. Shapes follow docs/API.md.
import { callFunction } from '../../services/api'

export type StopTarget =
  | { scope: 'session'; scheduleId: string }
  | { scope: 'day'; doctorId: string; date: string }
  | { scope: 'range'; doctorId: string; from: string; to: string }

export interface ClinicJobItem {
  appointmentId: string
  /** Masked, e.g. 张*明. */
  patientName: string
  number: number | null
  when: string
  state: 'done' | 'failed' | 'remaining'
  label: string
  outcome: 'cancelled' | 'moved' | 'released' | 'skipped' | null
  refunded: boolean
  failure: { code: string; reason: string; attempts: number } | null
}

export interface ClinicJob {
  id: string
  kind: 'stop' | 'substitute'
  kindLabel: string
  reason: string
  /** 王建国 12月3日 上午 */
  scopeLabel: string
  substitute: { doctorId: string; doctorName: string; title: string } | null
  status: 'running' | 'finished'
  counts: { total: number; done: number; failed: number; remaining: number; refunded: number }
  /** One sentence for staff, ready to show. */
  summary: string
  items: ClinicJobItem[]
  createdAt: string
  finishedAt: string | null
}

export interface StopClinicInput {
  target: StopTarget
  reason: string
  substituteDoctorId?: string
}

export const stopClinic = (input: StopClinicInput) =>
  callFunction<{ job: ClinicJob; alreadyStopped: boolean; message: string }>('admin', 'stopClinic', input)

export const fetchClinicJob = async (jobId: string) => (await callFunction<{ job: ClinicJob }>('admin', 'clinicJob', { jobId })).job

export const fetchClinicJobs = async () => (await callFunction<{ jobs: ClinicJob[] }>('admin', 'clinicJobs', {})).jobs

export const retryClinicJob = (jobId: string) => callFunction<{ job: ClinicJob; message: string }>('admin', 'retryClinicJob', { jobId })

export interface CounterAppointment {
  id: string
  status: string
  statusLabel: string
  /** 上午 08:00-08:30 */
  when: string
  /** The doctor's name. */
  doctor: string
  /** The department's name. */
  department: string
  number: number | null
  canCheckIn: boolean
  /** Why this one cannot be checked in now, as a sentence. */
  refusal: string | null
  queue: { ahead: number; sentence: string } | null
}

export interface CheckInLookup {
  patient: { id: string; name: string; sex: string; birthDate: string }
  date: string
  appointments: CounterAppointment[]
  message: string
}

/** Today's appointments of the person behind a visit code or an appointment number. */
export const checkInLookup = (code: string) => callFunction<CheckInLookup>('admin', 'checkInLookup', { code })

export const checkInAtCounter = (appointmentId: string) =>
  callFunction<{ appointment: CounterAppointment; message: string }>('admin', 'checkIn', { appointmentId })

export interface LookupReason {
  value: string
  label: string
}

export const fetchLookupReasons = async () => (await callFunction<{ reasons: LookupReason[] }>('admin', 'lookupReasons', {})).reasons

export type LookupQuery =
  | { by: 'appointment'; appointmentId: string }
  | { by: 'visitCode'; code: string }
  | { by: 'card'; patientId: string }
  | { by: 'nameId'; name: string; idLast4: string }

export interface LookedUpPerson {
  /** ID and phone arrive masked; `managers` counts the accounts that manage this card. */
  patient: { id: string; name: string; sex: string | null; birthDate: string | null; idNumber: string | null; phone: string; managers: number }
  /** `doctor` is the doctor's name. */
  appointments: { id: string; date: string; when: string; doctor: string; number: number | null; status: string; statusLabel: string; clinicStopped: boolean }[]
  noShows: { appointmentId: string; date: string; waived: { reason: string; at: string } | null }[]
  restriction: { restricted: boolean; reopensOn: string | null; message: string | null }
  payments: { outTradeNo: string; appointmentId: string; amountFen: number; status: string; paidAt: string | null; refund: { status: string; reason: string; amountFen: number } | null }[]
}

export const lookupPatient = (query: LookupQuery & { reason: string }) =>
  callFunction<{ people: LookedUpPerson[]; reasonLabel: string }>('admin', 'lookupPatient', query)

export const waiveNoShow = (appointmentId: string, reason: string) =>
  callFunction<{ appointmentId: string; message: string }>('admin', 'waiveNoShow', { appointmentId, reason })

export interface AuditEntry {
  at: string
  actorUserId: string | null
  action: string
  patientId: string | null
  targetUserId: string | null
  requestId: string | null
  details: Record<string, unknown> | null
}

export interface AuditFilter {
  actorUserId?: string
  patientId?: string
  auditAction?: string
  from?: string
  to?: string
}

export const fetchAudit = async (filter: AuditFilter) => (await callFunction<{ entries: AuditEntry[] }>('admin', 'audit', { ...filter, limit: 100 })).entries
