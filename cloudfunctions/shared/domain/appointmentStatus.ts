// The appointment lifecycle (B3, B4) as a pure state machine: which event may move which status where.
//
//   pending_payment --pay--> booked --checkIn--> checked_in --complete--> completed
//        |    \                 |  \
//     expire  cancel         cancel markNoShow
//        v       v              v       v
//     expired  cancelled    cancelled  no_show
//
// A free appointment is created directly as `booked`. completed, no_show, cancelled and expired are
// final: every event on them is refused. The machine refuses rather than ignores a repeated event
// (pay on booked, checkIn on checked_in): idempotent retries are the caller's job (compare first).
//
// Refunds are NOT lifecycle states. A refund is a separate field on the appointment (e.g.
// `refund: { status: 'pending' | 'succeeded' | 'failed', ... }`) that the payment issue adds:
// a cancelled appointment stays `cancelled` while its refund moves on, and a payment that arrives
// for an `expired` appointment is refused here (pay on expired) and refunded by the payment layer.
import type { ErrorCode } from '../errors';

export const APPOINTMENT_STATUSES = ['pending_payment', 'booked', 'checked_in', 'completed', 'no_show', 'cancelled', 'expired'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const APPOINTMENT_EVENTS = ['pay', 'expire', 'cancel', 'checkIn', 'complete', 'markNoShow'] as const;
export type AppointmentEvent = (typeof APPOINTMENT_EVENTS)[number];

export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  pending_payment: '待支付',
  booked: '已预约',
  checked_in: '已签到',
  completed: '已就诊',
  no_show: '已爽约',
  cancelled: '已取消',
  expired: '已失效',
};

const TRANSITION_CODE = 'ILLEGAL_TRANSITION' satisfies ErrorCode;

export type TransitionResult =
  | { ok: true; status: AppointmentStatus }
  | { ok: false; code: typeof TRANSITION_CODE; message: string };

const NEXT: Record<AppointmentStatus, Partial<Record<AppointmentEvent, AppointmentStatus>>> = {
  pending_payment: { pay: 'booked', expire: 'expired', cancel: 'cancelled' },
  booked: { cancel: 'cancelled', checkIn: 'checked_in', markNoShow: 'no_show' },
  checked_in: { complete: 'completed' },
  completed: {},
  no_show: {},
  cancelled: {},
  expired: {},
};

/** "这个预约已经取消" + "，不能再签到。": what the appointment is now, then what can no longer happen. */
const STATE_PHRASES: Record<AppointmentStatus, string> = {
  pending_payment: '还没有支付',
  booked: '已经支付',
  checked_in: '已经签到',
  completed: '已经就诊完成',
  no_show: '已经记为未就诊（爽约）',
  cancelled: '已经取消',
  expired: '已经超过支付时间自动取消',
};

const EVENT_PHRASES: Record<AppointmentEvent, string> = {
  pay: '支付',
  expire: '按超时取消',
  cancel: '退号',
  checkIn: '签到',
  complete: '标记为就诊完成',
  markNoShow: '标记为爽约',
};

/** Sentences for the refusals a user or clinic staff actually meets, where the template alone would not say what to do. */
const SPECIFIC_MESSAGES: Partial<Record<`${AppointmentStatus}:${AppointmentEvent}`, string>> = {
  'pending_payment:checkIn': '这个预约还没有支付，请先完成支付再签到。',
  'pending_payment:complete': '这个预约还没有支付，不能标记为就诊完成。',
  'pending_payment:markNoShow': '这个预约还没有支付，不能标记为爽约；未支付的预约到时会自动取消。',
  'booked:pay': '这个预约已经支付过了，不用重复支付。',
  'booked:expire': '这个预约已经支付，不会再超时取消。',
  'booked:complete': '这位患者还没有签到，请先签到再标记为就诊完成。',
  'checked_in:cancel': '这个预约已经签到，不能再退号；如需退费，请到医院窗口咨询。',
  'checked_in:markNoShow': '这位患者已经签到，不能再标记为爽约。',
  'checked_in:pay': '这个预约已经支付并签到，不用再支付。',
  'checked_in:checkIn': '这个预约已经签到过了，不用重复签到。',
  'completed:complete': '这个预约已经标记为就诊完成，不用重复操作。',
  'no_show:markNoShow': '这个预约已经标记为爽约，不用重复操作。',
  'no_show:checkIn': '这个预约已经记为未就诊（爽约），不能再签到；如需就诊，请重新预约或到医院窗口挂号。',
  'cancelled:cancel': '这个预约已经取消了，不用重复退号。',
  'expired:cancel': '这个预约已经超过支付时间自动取消了，不用再退号。',
  'expired:expire': '这个预约已经超时取消了，不用重复操作。',
  'expired:pay': '这个预约已经超过支付时间自动取消，不能再支付；如已扣款，费用会原路退回。请重新预约。',
  'cancelled:pay': '这个预约已经取消，不能再支付；如已扣款，费用会原路退回。请重新预约。',
};

/** The status after `event`, or a refusal in Chinese that says why (ILLEGAL_TRANSITION). */
export function transition(status: AppointmentStatus, event: AppointmentEvent): TransitionResult {
  const next = NEXT[status][event];
  if (next) return { ok: true, status: next };
  const message = SPECIFIC_MESSAGES[`${status}:${event}`] ?? `这个预约${STATE_PHRASES[status]}，不能再${EVENT_PHRASES[event]}。`;
  return { ok: false, code: TRANSITION_CODE, message };
}

/**
 * Active: a visit still to come. Counts toward the patient's quotas and "one per doctor per day",
 * can be cancelled or expire, and appears under "待就诊".
 */
export function isActive(status: AppointmentStatus): boolean {
  return status === 'pending_payment' || status === 'booked' || status === 'checked_in';
}

/**
 * Holds a place: the slot's `remaining` was taken for it and is never given back. That is every
 * status except cancelled and expired, which return their place at once. completed and no_show
 * keep theirs: the session has happened. So for every slot,
 * remaining + (appointments that hold a place) = capacity — the invariant the sweeper restores.
 */
export function holdsPlace(status: AppointmentStatus): boolean {
  return status !== 'cancelled' && status !== 'expired';
}

/** Final: no event changes it any more. */
export function isFinal(status: AppointmentStatus): boolean {
  return Object.keys(NEXT[status]).length === 0;
}
