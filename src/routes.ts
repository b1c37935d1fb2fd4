// Page URLs used for navigation; the tab pages must match app.config.ts.
export const HOME_PAGE = '/pages/home/index/index'
export const APPOINTMENTS_PAGE = '/pages/appointments/index/index'
export const ME_PAGE = '/pages/me/index/index'
/** Exists in the H5 build only (see app.config.ts). */
export const DEV_LOGIN_PAGE = '/pages/dev/login/index'

// Patient cards (main package): list, add, detail, accepting a family invite, and the staff visit-code check.
export const PATIENTS_LIST_PAGE = '/pages/patients/list/index'
export const PATIENTS_ADD_PAGE = '/pages/patients/add/index'
export const PATIENTS_DETAIL_PAGE = '/pages/patients/detail/index'
export const PATIENTS_ACCEPT_PAGE = '/pages/patients/accept/index'
export const PATIENTS_VERIFY_PAGE = '/pages/patients/verify/index'
/** The honest ways into a card someone else may manage: ask for an invite, or prove the phone on record. */
export const PATIENTS_PROVE_PAGE = '/pages/patients/prove/index'
/** The owner changes a card's phone, proven by a code sent to the new phone. */
export const PATIENTS_PHONE_PAGE = '/pages/patients/phone/index'
export const patientPhoneUrl = (id: string) => `${PATIENTS_PHONE_PAGE}?id=${encodeURIComponent(id)}`
export const patientDetailUrl = (id: string) => `${PATIENTS_DETAIL_PAGE}?id=${encodeURIComponent(id)}`

/** The full privacy notice (from 我的 and the short notice before the first card). */
export const PRIVACY_PAGE = '/pages/privacy/index/index'

// Messages (main package): the message center and 消息设置 (N1-N2).
export const MESSAGES_PAGE = '/pages/messages/index/index'
export const MESSAGE_SETTINGS_PAGE = '/pages/messages/settings/index'

// Catalog (main package): a department with its doctors and release rules; a doctor's schedule grid.
export const DEPARTMENT_PAGE = '/pages/catalog/department/index'
export const DOCTOR_PAGE = '/pages/catalog/doctor/index'
export const departmentPageUrl = (id: string) => `${DEPARTMENT_PAGE}?id=${encodeURIComponent(id)}`
export const doctorPageUrl = (id: string) => `${DOCTOR_PAGE}?id=${encodeURIComponent(id)}`
/** The doctor page with the confirm sheet open on one slot (a "full" answer's alternative at another doctor). */
export const doctorSlotUrl = (id: string, slotId: string) => `${doctorPageUrl(id)}&slotId=${encodeURIComponent(slotId)}`

// Booking (main package): the answer to a hold with the electronic slip (就诊凭条), also an appointment's detail.
export const BOOKING_RESULT_PAGE = '/pages/booking/result/index'
export const bookingResultUrl = (id: string) => `${BOOKING_RESULT_PAGE}?id=${encodeURIComponent(id)}`
/** The slip with its visit code already shown (`&code=1`). */
export const slipCodeUrl = (id: string) => `${bookingResultUrl(id)}&code=1`
/** The read-only slip a family member opens from a share (`?t=` the token). */
export const SHARED_SLIP_PAGE = '/pages/booking/shared/index'
/** The sandbox cashier (模拟支付) of the local host; exists in the H5 build only (see app.config.ts). */
export const CASHIER_PAGE = '/pages/booking/cashier/index'
export const cashierUrl = (appointmentId: string, outTradeNo: string, amountFen: number) =>
  `${CASHIER_PAGE}?id=${encodeURIComponent(appointmentId)}&no=${encodeURIComponent(outTradeNo)}&fen=${amountFen}`

// Hospital staff (subpackage `admin`, see app.config.ts `subPackages`); the function refuses non-admins.
export const ADMIN_HOME_PAGE = '/admin/pages/index/index'
export const ADMIN_DEPARTMENT_PAGE = '/admin/pages/department/index'
export const ADMIN_DOCTOR_PAGE = '/admin/pages/doctor/index'
export const ADMIN_TEMPLATES_PAGE = '/admin/pages/templates/index'
export const ADMIN_GENERATE_PAGE = '/admin/pages/generate/index'
export const ADMIN_EXTRA_SLOT_PAGE = '/admin/pages/extra-slot/index'
/** The WeChat Pay reconciliation report of one day; `?date=YYYY-MM-DD`, yesterday without it. */
export const ADMIN_RECONCILIATION_PAGE = '/admin/pages/reconciliation/index'
// The clinic day at the counter (A2, A3, A5, B1): 停诊/替诊 with its progress, 签到, 患者查询, 操作记录.
export const ADMIN_STOP_CLINIC_PAGE = '/admin/pages/stop-clinic/index'
export const ADMIN_CHECK_IN_PAGE = '/admin/pages/check-in/index'
export const ADMIN_LOOKUP_PAGE = '/admin/pages/lookup/index'
export const ADMIN_AUDIT_PAGE = '/admin/pages/audit/index'
/** Accounts showing signs of a grabbing script (admin.scriptingSigns), most suspicious first. */
export const ADMIN_SCRIPTING_PAGE = '/admin/pages/scripting/index'
/** Subscription-message delivery per day and the last errors WeChat answered. */
export const ADMIN_MESSAGES_PAGE = '/admin/pages/messages/index'
/** 公告与医院信息: the 公告 and the address, phone and map point patients see on the home page. */
export const ADMIN_HOME_CONTENT_PAGE = '/admin/pages/home-content/index'
