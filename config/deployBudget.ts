// What each deployed function may have to wait for in its slowest action, from the constants the code
// uses, so config/cloudbaserc.json's timeouts are checked against the code rather than guessed. A
// function whose timeout is shorter than its longest wait is cut off mid-work by the platform.
import { IN_FLIGHT_WAIT_MS } from '../cloudfunctions/booking/actions';
import { LEASE_WAIT_MS } from '../cloudfunctions/shared/booking/lease';
import { HIS_DEFAULT_TIMEOUT_MS, HIS_RETRY_DELAYS_MS } from '../cloudfunctions/shared/his/httpHisClient';
import { HIS_CONFIRM_BUDGET_MS } from '../cloudfunctions/shared/payment/settlement';
import { WXPAY_DEFAULT_TIMEOUT_MS } from '../cloudfunctions/shared/payment/wechatPayConfig';

/** A cold instance loads its bundle and connects to MongoDB before the first wait starts (bench:coldstart). */
export const COLD_START_MS = 3_000;

export interface Wait {
  what: string;
  ms: number;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
/** An idempotent HIS call: every attempt may time out, with the pauses between them. */
const hisRetried = (what: string): Wait => ({ what: `HIS ${what} (${HIS_RETRY_DELAYS_MS.length + 1} attempts)`, ms: HIS_DEFAULT_TIMEOUT_MS * (HIS_RETRY_DELAYS_MS.length + 1) + sum(HIS_RETRY_DELAYS_MS) });
const hisOnce = (what: string): Wait => ({ what: `HIS ${what}`, ms: HIS_DEFAULT_TIMEOUT_MS });
const wxpay = (what: string): Wait => ({ what: `WeChat Pay ${what}`, ms: WXPAY_DEFAULT_TIMEOUT_MS });

/** The slowest chain of waits per function (the action named first). Jobs are bounded by their leases instead. */
export const SLOWEST_WAITS: Record<string, { action: string; waits: Wait[] }> = {
  user: { action: 'login', waits: [] },
  catalog: { action: 'schedules', waits: [] },
  // Every ID bind now creates the card after the phone is proven; WeChat's check comes first (httpWxPhone's 5 s).
  patient: { action: 'proveWithWechatPhone (a person new here)', waits: [{ what: 'WeChat phone number check', ms: 5_000 }, hisRetried('findPatient'), hisOnce('registerPatient')] },
  booking: {
    action: 'cancel (a paid booking)',
    waits: [{ what: 'patient lease', ms: LEASE_WAIT_MS }, hisRetried('cancelRegistration'), wxpay('refund')],
  },
  payment: {
    action: 'prepay (replacing an open order)',
    waits: [wxpay('queryOrder'), wxpay('closeOrder'), wxpay('createJsapiOrder'), { what: 'HIS confirmation budget of a notification', ms: HIS_CONFIRM_BUDGET_MS }],
  },
  admin: { action: 'generateSchedules', waits: [] },
  // The send job stops starting sends after 40 s (messageJobs.ts); one send may take its 5 s timeout after that.
  message: { action: 'tick (message.send)', waits: [{ what: 'send budget', ms: 40_000 }, { what: 'WeChat subscribe/send', ms: 5_000 }] },
};

/** For the record: a hold's waits (two leases and a replay in flight) stay well inside booking's cancel chain. */
export const HOLD_WAITS: Wait[] = [
  { what: 'account-day lease', ms: LEASE_WAIT_MS },
  { what: 'patient lease', ms: LEASE_WAIT_MS },
  { what: 'same request in flight', ms: IN_FLIGHT_WAIT_MS },
];

export const totalMs = (waits: Wait[]) => sum(waits.map((wait) => wait.ms));
