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
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容太多了，请精简后再试。' },
  INTERNAL: { status: 500, message: '系统有点忙，请稍后再试，给您添麻烦了。' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A field that failed validation, with a message the user can act on. */
export interface FieldError {
  path: string;
  message: string;
}

/** An expected failure: carries a stable code and the sentence shown to the user. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldError[];

  constructor(code: ErrorCode, message?: string, fields?: FieldError[]) {
    super(message ?? ERRORS[code].message);
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
