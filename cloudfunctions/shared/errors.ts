// The one error model: stable codes, a kind Chinese sentence for each, and one mapping to HTTP status.

export const ERRORS = {
  BAD_REQUEST: { status: 400, message: '请求的格式不对，请刷新页面后再试一次。' },
  UNKNOWN_FUNCTION: { status: 404, message: '没有找到这项服务，请更新小程序后再试。' },
  UNKNOWN_ACTION: { status: 400, message: '暂时还不支持这个操作，请更新小程序后再试。' },
  INVALID_PARAMS: { status: 400, message: '填写的信息有误，请检查后再提交。' },
  UNAUTHENTICATED: { status: 401, message: '请先登录，再继续操作。' },
  DEV_LOGIN_DISABLED: { status: 403, message: '正式环境不能使用开发登录，请在微信中打开。' },
  FORBIDDEN: { status: 403, message: '您暂时没有权限进行这个操作，如有疑问请联系医院工作人员。' },
  NOT_FOUND: { status: 404, message: '没有找到相关信息，请返回上一页再看看。' },
  CONFLICT: { status: 409, message: '信息刚刚有变化，请刷新后再试一次。' },
  PLATFORM_ONLY: { status: 400, message: '这个请求只能由系统自动发起，请在小程序里正常操作。' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容太多了，请精简后再试。' },
  RATE_LIMITED: { status: 429, message: '操作太频繁了，请 30 秒后再试。' },
  INTERNAL: { status: 500, message: '系统有点忙，请稍后再试，给您添麻烦了。' },

  PATIENT_ALREADY_BOUND: { status: 409, message: '这位就诊人已经在您的就诊人列表里了，不用重复添加。' },
  PATIENT_LIMIT_REACHED: { status: 409, message: '一个账号最多绑定 5 位就诊人。如需添加，请先解除一位不再需要的就诊人。' },
  // Every bind by ID document answers this, whether or not the person is already known here, so it tells a stranger nothing (docs/API.md).
  PATIENT_NEEDS_PROOF: {
    status: 409,
    message: '为保护就诊人的信息，请先验证手机号：我们会给您填写的手机号发一条 6 位验证码，输入后就能添加。如果家人已经绑定过这位就诊人，也可以请家人在“就诊人详情”里邀请您。',
  },
  PRIVACY_NOTICE_CHANGED: { status: 409, message: '隐私说明刚刚更新了，请重新打开“添加就诊人”，看过新的说明后再点同意。' },
  GUARDIAN_NEEDS_OWN_CARD: { status: 409, message: '为没有证件的孩子建卡前，请先绑定您本人的就诊卡（关系选“本人”），再来添加孩子。' },
  HIS_REFUSED: { status: 422, message: '医院系统未能核实您的身份信息，请核对姓名和证件号码后再试；如仍有问题，请到医院门诊服务台办理。' },
  HIS_UNAVAILABLE: { status: 503, message: '医院系统暂时连接不上，请稍后再试一次，给您添麻烦了。' },
  INVITE_INVALID: { status: 404, message: '这个邀请码不对或已过期（邀请码 24 小时内有效，只能用一次）。请家人重新邀请您。' },
  UNBIND_HAS_APPOINTMENTS: {
    status: 409,
    message: '这位就诊人还有没就诊的预约，解除绑定后您就看不到、也取消不了这些预约了。请先在“预约记录”里取消，或等就诊结束后再解除绑定。',
  },
  NEW_CARD_LIMIT: {
    status: 409,
    message: '为保护就诊人的信息安全，一个账号 30 天内最多添加 5 位新的就诊人。请过些天再添加；如有急需，请到医院门诊服务台办理。',
  },
  // Proving the phone on record (SMS code or WeChat's phone check).
  PROOF_CODE_INVALID: { status: 400, message: '验证码不对，请核对短信里的 6 位数字后再输入。' },
  PROOF_CODE_EXPIRED: { status: 400, message: '验证码已经过期了（5 分钟内有效），请点“重新获取”再发一个。' },
  PROOF_CODE_LOCKED: { status: 400, message: '验证码输错次数太多，这个验证码已经作废了，请点“重新获取”再发一个。' },
  PROOF_CODE_TOO_SOON: { status: 429, message: '验证码刚刚发出，请稍等 1 分钟再重新获取。' },
  PROOF_CODE_DAILY_LIMIT: { status: 429, message: '这个手机号今天已经收到 5 条验证码了，请明天再试，或请家人在“就诊人详情”里邀请您。' },
  PROOF_NOT_MATCHED: {
    status: 409,
    message: '没能完成验证。请核对姓名、证件号码和手机号是否和就诊人在医院登记的一致，或改用短信验证码；也可以请家人在“就诊人详情”里邀请您。',
  },
  WX_PHONE_CODE_INVALID: { status: 400, message: '微信手机号授权已失效，请再点一次“用微信手机号验证”。' },
  WX_PHONE_UNAVAILABLE: { status: 503, message: '暂时无法通过微信验证手机号，请改用短信验证码，或稍后再试。' },
  SMS_UNAVAILABLE: { status: 503, message: '短信暂时发不出去，请稍后再试一次；也可以请家人在“就诊人详情”里邀请您。' },
  VISIT_CODE_INVALID: { status: 400, message: '这个就诊码无法识别，请患者在小程序里重新打开就诊码。' },
  // Check-in (A3).
  CHECK_IN_TOO_EARLY: { status: 409, message: '还没到签到时间，请在就诊时段开始前 1 小时内签到。' },
  CHECK_IN_TOO_LATE: { status: 409, message: '已经过了自助签到时间，请到门诊服务台请工作人员帮您签到。' },
  VISIT_CODE_EXPIRED: { status: 400, message: '这个就诊码已过期（5 分钟内有效），请患者在小程序里刷新就诊码后再扫。' },
  SLIP_LINK_INVALID: { status: 400, message: '这个凭条链接不完整或已失效，请让家人在小程序里重新分享一次。' },
  SLIP_LINK_EXPIRED: { status: 410, message: '这次就诊的时间已经过了，凭条链接不再显示。如需再看，请联系为您分享的家人。' },
  SLIP_NOT_SHAREABLE: { status: 409, message: '只有待就诊的预约才能分享凭条；这个预约已取消、已结束或已过期，不需要再来医院。' },

  // Booking eligibility (B1): the rule module builds a sentence with the live numbers; these are the fallbacks.
  NOT_MANAGER: { status: 403, message: '这位就诊人不在您的就诊人列表里，不能为其预约。请先添加就诊人，或请已绑定的家人邀请您。' },
  PROXY_NOT_ALLOWED: { status: 403, message: '本院暂不支持为家人代为预约，请就诊人本人登录小程序预约，或到医院窗口挂号。' },
  PATIENT_RESTRICTED: { status: 403, message: '这位就诊人近期多次预约后未就诊，网上预约暂时停用。如需就诊，请到医院窗口挂号。' },
  SEX_UNKNOWN: { status: 409, message: '该科室只接诊特定性别的患者，这张就诊卡上没有登记性别。请核对就诊人的证件信息，或到医院窗口登记后再预约。' },
  SEX_RESTRICTED: { status: 409, message: '该科室只接诊特定性别的患者，请为这位就诊人选择其他科室。' },
  AGE_UNKNOWN: { status: 409, message: '该科室只接诊特定年龄的患者，这张就诊卡上没有登记出生日期。请核对就诊人的证件信息，或到医院窗口登记后再预约。' },
  AGE_RESTRICTED: { status: 409, message: '就诊人的年龄不在该科室的接诊范围内，请选择其他科室。' },
  SAME_DOCTOR_SAME_DAY: { status: 409, message: '这位就诊人当天已经预约了这位医生。如需换时段，请先取消原来的预约再重新预约。' },
  DEPARTMENT_DAILY_QUOTA: { status: 409, message: '这位就诊人当天在该科室的预约已达上限。如需换医生或时段，请先取消原来的预约。' },
  DAILY_QUOTA: { status: 409, message: '这位就诊人当天的预约已达上限，请改约其他日期，或先取消当天不需要的预约。' },
  BOOKING_PEOPLE_LIMIT: {
    status: 409,
    message: '为防止号源被倒卖，一个账号同一天最多为 3 位就诊人预约。如需为其他家人预约，请家人用自己的微信预约，或到医院窗口挂号。',
  },
  PERSON_QUOTA: { status: 409, message: '这位就诊人近期的预约次数已达医院规定的上限，请改约其他日期，或先取消不需要的预约。' },
  ACTIVE_QUOTA: { status: 409, message: '这位就诊人尚未就诊的预约已达上限，请就诊或取消部分预约后再预约。' },

  // Holding a place (B2).
  NOT_RELEASED: { status: 409, message: '这个时段的号还没有放出，请到放号时间再来预约。' },
  SLOT_CLOSED: { status: 409, message: '这个时段已经停止预约了，请选择其他时段。' },
  SLOT_FULL: { status: 409, message: '这个时段的号已经约满了，请选择其他时段。' },

  // Payments (Y1-Y5).
  PAY_UNAVAILABLE: { status: 503, message: '微信支付暂时连接不上，请稍后再试一次；号源会为您保留到支付截止时间。' },
  ALREADY_PAID: { status: 409, message: '这个预约已经支付过了，不用重复支付。' },
  PAYMENT_IN_PROGRESS: { status: 409, message: '家人正在为这个预约付款，请稍等一两分钟，刷新后看看是否已经支付成功。' },
  PAYMENT_WINDOW_CLOSED: { status: 409, message: '这个预约已经超过支付时间，号源已经释放。如仍需就诊，请重新预约。' },
  HIS_REFUSED_CANCEL: { status: 409, message: '医院系统不同意退这个号（可能已经签到或就诊），请到医院窗口咨询。' },
  HIS_REFUSED_MOVE: { status: 409, message: '医院系统没有同意把这个挂号改到替诊医生名下，请在医院系统里核对这位患者的挂号后再点“重试”。' },
  BILL_NOT_READY: { status: 409, message: '这一天的对账单还没有生成（一般次日 10 点后可下载），请稍后再试。' },

  // Appointment lifecycle and cancellation (B4).
  ILLEGAL_TRANSITION: { status: 409, message: '这个预约的状态已经变了，不能进行这个操作，请刷新后再看看。' },
  CANCEL_CUTOFF_PASSED: { status: 409, message: '已经过了网上退号的时间，请到医院窗口咨询。' },

  // Subscription messages (N1).
  MESSAGE_TEMPLATE_UNKNOWN: { status: 400, message: '这条消息提醒已经更新了，请重新打开小程序后再订阅。' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A field that failed validation, with a message the user can act on. */
export interface FieldError {
  path: string;
  message: string;
  /** The rule's stable code, when a domain rule produced the message (e.g. ID_NUMBER_CHECKSUM). */
  code?: string;
}

/**
 * An expected failure: carries a stable code and the sentence shown to the user. It is an answer, not a
 * fault, so it takes no stack trace: capturing one cost more than the rest of a refusal from memory
 * (a hold before the release instant, tens of thousands a minute on release morning).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldError[];

  constructor(code: ErrorCode, message?: string, fields?: FieldError[]) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message ?? ERRORS[code].message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'AppError';
    this.code = code;
    this.fields = fields;
  }
}

export interface OkResult<T> {
  ok: true;
  data: T;
}

export interface ErrorResult {
  ok: false;
  code: ErrorCode;
  message: string;
  requestId: string;
  fields?: FieldError[];
}

export type Result<T> = OkResult<T> | ErrorResult;

export function errorResult(error: AppError, requestId: string): ErrorResult {
  const result: ErrorResult = { ok: false, code: error.code, message: error.message, requestId };
  if (error.fields?.length) result.fields = error.fields;
  return result;
}

export function httpStatusFor(code: string): number {
  return code in ERRORS ? ERRORS[code as ErrorCode].status : 500;
}
