// The admin subpackage's door to the backend: the `admin` function (A1) and the one catalog read it
// needs (a doctor's sessions, to pick where an extra slot goes). Shapes are the stored documents.
import { callFunction } from '../../services/api'

export type Period = 'morning' | 'afternoon' | 'evening'

export interface ReleaseRules {
  daysAhead: number
  releaseTime: string
  sameDayCutoff: string | null
  closeMinutesBefore: number
}

export interface HospitalLocation {
  id: string
  name: string
}

export interface Hospital {
  _id: string
  name: string
  timeZone: string
  /** `phone` and the GCJ-02 map point once staff set them (公告与医院信息). */
  campuses: { id: string; name: string; address: string; phone?: string; latitude?: number; longitude?: number; locations: HospitalLocation[] }[]
  releaseRules: ReleaseRules
}

export interface AdminDepartment {
  _id: string
  parentId: string | null
  name: string
  intro: string
  locationId: string
  common: boolean
  sort: number
  releaseRules?: Partial<ReleaseRules>
  /** Pinyin keys of the name ("pfk", "pifuke"), for the search pickers. */
  initials?: string
  pinyin?: string
  /** 就诊须知 shown on the slip and in reminders; absent or '' = none (a clinic then shows its parent's). */
  preparation?: string
}

export interface AdminDoctor {
  _id: string
  departmentId: string
  name: string
  title: string
  specialty: string
  intro: string
  feeClass: string
  feeFen: number
  active: boolean
  /** This doctor's own 就诊须知, replacing the department's; absent or '' = the department's. */
  preparation?: string
}

export interface Template {
  _id: string
  doctorId: string
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number
  period: Period
  startTime: string
  endTime: string
  slotMinutes: number
  placesPerSlot: number
  locationId: string
}

export interface GenerationReport {
  created: number
  rebuilt: number
  unchanged: number
  removed: number
  keptWithBookings: { doctorId: string; date: string; period: string }[]
}

export interface Overview {
  hospital: Hospital
  departments: AdminDepartment[]
  doctors: AdminDoctor[]
}

export interface SessionSlot {
  window: string
  capacity: number
  remaining: number
  extra: boolean
}

export interface Session {
  scheduleId: string
  period: Period
  label: string
  status: 'open' | 'stopped'
  remaining: number
  slots: SessionSlot[]
}

export interface SessionDay {
  date: string
  /** 11月29日 周日 */
  label: string
  periods: Session[]
}

export type DepartmentInput = Omit<AdminDepartment, '_id'> & { id?: string }
export type DoctorInput = Omit<AdminDoctor, '_id'> & { id?: string }
export type TemplateInput = Omit<Template, '_id'> & { id?: string }
export interface ExtraSlotInput {
  scheduleId: string
  startTime: string
  endTime: string
  capacity: number
  reason: string
}

export const fetchOverview = () => callFunction<Overview>('admin', 'overview')

export const saveDepartment = (input: DepartmentInput) =>
  callFunction<{ department: AdminDepartment }>('admin', 'saveDepartment', input)

export const saveDoctor = (input: DoctorInput) => callFunction<{ doctor: AdminDoctor }>('admin', 'saveDoctor', input)

export const fetchTemplates = (doctorId: string) =>
  callFunction<{ templates: Template[] }>('admin', 'templates', { doctorId })

export const saveTemplate = (input: TemplateInput) =>
  callFunction<{ template: Template; hint: string }>('admin', 'saveTemplate', input)

export const deleteTemplate = (id: string) => callFunction<{ deleted: true }>('admin', 'deleteTemplate', { id })

export const generateSchedules = (input: { from: string; to: string; doctorId?: string }) =>
  callFunction<{ report: GenerationReport }>('admin', 'generateSchedules', input)

export const addExtraSlot = (input: ExtraSlotInput) => callFunction<{ slot: unknown }>('admin', 'addExtraSlot', input)

export interface DeskPlaceInput {
  scheduleId: string
  patientId: string
  startTime: string
  endTime: string
  reason: string
  /** Only when staff knowingly book past the person's restriction or quotas. */
  overrideReason?: string
  /** Kept across a retry of the same tap, so a lost answer never adds two places. */
  requestId: string
}

/** 加号 at the desk: one new place in the session, held for the named card (it never appears as free). */
export const addPlaceForCard = (input: DeskPlaceInput) =>
  callFunction<{ appointment: { id: string; status: string; number: number | null; when: string; patientName: string }; message: string }>('admin', 'addPlaceForCard', input)

/** The doctor's sessions from today on (the catalog's default fortnight), as patients see them. */
export async function fetchSessions(doctorId: string): Promise<SessionDay[]> {
  const { days } = await callFunction<{ days: SessionDay[] }>('catalog', 'schedules', { doctorId })
  return days
}

// The T+1 reconciliation of WeChat Pay's trade bill (the `payment` function, admin only).
export type FindingKind = 'unknown_trade' | 'amount_mismatch' | 'paid_not_registered' | 'missing_from_bill' | 'his_pending'

export interface ReconciliationFinding {
  kind: FindingKind
  outTradeNo: string
  /** What was found, already in Chinese for staff. */
  detail: string
  action: 'refunded' | 'reported'
}

export interface ReconciliationReport {
  /** The bill date, YYYY-MM-DD (Beijing). */
  _id: string
  /** ISO-8601. */
  ranAt: string
  billTrades: number
  matched: number
  findings: ReconciliationFinding[]
  refundsSent: number
}

/** The stored report of one bill date; null while that day was never reconciled. */
export const fetchReconciliation = (date: string) =>
  callFunction<{ report: ReconciliationReport | null }>('payment', 'reconciliation', { date })

/** Runs the reconciliation of one bill date now; BILL_NOT_READY before WeChat Pay has the bill. */
export const runReconciliation = (date: string) => callFunction<{ report: ReconciliationReport }>('payment', 'reconcile', { date })

/** One day's subscription messages (hospital time): made, sent as WeChat notices, refused, given up. */
export interface MessageDayFigures {
  date: string
  queued: number
  sent: number
  /** No consent, reminders turned off, or refused by WeChat (43101 and other permanent errors). */
  refused: number
  failed: number
  /** Still waiting to be sent (or retried). */
  waiting: number
}

export interface MessageStats {
  days: MessageDayFigures[]
  lastErrors: { at: string; event: string; errcode: number; errmsg: string }[]
}

/** Subscription-message delivery for the last `days` days (1-31), newest first. */
export const fetchMessageStats = (days = 7) => callFunction<MessageStats>('admin', 'messageStats', { days })
