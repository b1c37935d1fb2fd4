// One small hospital wired to real stand-ins for the money-path scenarios: the WeChat Pay stand-in (signatures,
// encryption, notifications delivered over HTTP to the host's /http/payment/notify), the HIS stand-in, the local host
// on the embedded store, one priced clinic (25.00 元, 2 places a slot) and one patient with a bound card.
import { ObjectId } from 'mongodb';
import { main as bookingMain } from '../../cloudfunctions/booking';
import { main as catalogMain } from '../../cloudfunctions/catalog';
import { main as paymentMain } from '../../cloudfunctions/payment';
import { main as userMain } from '../../cloudfunctions/user';
import { appointmentsOf, type AppointmentDoc } from '../../cloudfunctions/shared/booking/appointments';
import { catalogCache } from '../../cloudfunctions/shared/catalog/catalogCache';
import { slotsOf } from '../../cloudfunctions/shared/catalog/collections';
import { scheduleCache } from '../../cloudfunctions/shared/catalog/scheduleCache';
import type { ControlledClock } from '../../cloudfunctions/shared/clock';
import { createContext } from '../../cloudfunctions/shared/context';
import type { WeChatPayStandInOptions } from '../../cloudfunctions/local/wechatPayStandIn';
import { paymentsOf, type PaymentDoc } from '../../cloudfunctions/shared/payment/payments';
import type { Services } from '../../cloudfunctions/shared/payment/settlement';
import { newRequestId } from './booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from './catalog';
import { startTestHis, type TestHis } from './his';
import { startTestHost, type TestHost } from './host';
import { bindAs, PEOPLE } from './patients';
import { callAs, dataOf } from './runtime';
import { startTestWeChatPay, type TestWeChatPay } from './wechatPay';

export const FEE_FEN = 2500;
export const PLACES = 2;

export interface MoneyWorld {
  his: TestHis;
  pay: TestWeChatPay;
  host: TestHost;
  patient: string;
  patientId: string;
  /** The first slot of each day from tomorrow (one hold per doctor and day is the rule). */
  slotIds: string[];
  /** What a timer job or sweep gets: the runtime's services at the business clock's now. */
  services(): Services;
  appointment(id: string): Promise<AppointmentDoc>;
  payment(id: string): Promise<PaymentDoc>;
  /** A slot's free places and the appointments holding the others. */
  place(slotId: string): Promise<{ remaining: number; holders: string[] }>;
  hold(slotId: string): Promise<string>;
  prepay(appointmentId: string): Promise<{ outTradeNo: string; amountFen: number; expiresAt: string }>;
  until(check: () => Promise<boolean> | boolean, what: string): Promise<void>;
  /** POSTs a (crafted or recorded) notification to the host's HTTP access, as WeChat Pay does. */
  notify(kind: 'transaction' | 'refund', request: { headers: Record<string, string | undefined>; body: string }): Promise<Response>;
  /** Refunds the stand-in holds for an order: the money that actually went back to the payer. */
  refundsAt(outTradeNo: string): { outRefundNo: string; status: string; refundFen: number }[];
  close(): Promise<void>;
}

export async function openMoneyWorld(options: { patient: string; clock?: ControlledClock; payOptions?: WeChatPayStandInOptions }): Promise<MoneyWorld> {
  scheduleCache.clear();
  catalogCache.invalidate();
  const his = await startTestHis();
  const pay = await startTestWeChatPay(options.payOptions);
  const host = await startTestHost({ adminOpenids: [ADMIN], his: his.client, pay: pay.client, payStandIn: pay.standIn, clock: options.clock });
  const { db } = host.runtime;
  for (const openid of [ADMIN, options.patient]) dataOf(await callAs(userMain, openid, { action: 'login' }));
  await seedHospital(host.runtime);
  const clinic = await createClinic({ places: PLACES, feeFen: FEE_FEN });
  const patientId = (await bindAs(options.patient, PEOPLE.grandmother)).id;
  const { days } = dataOf<{ days: { date: string; periods: { slots: { id: string }[] }[] }[] }>(await callAs(catalogMain, options.patient, { action: 'schedules', doctorId: clinic.doctorId }));
  const slotIds = [1, 2, 3, 4, 5, 6].map((offset) => days.find((day) => day.date === dayFromToday(offset))!.periods.flatMap((period) => period.slots)[0].id);

  const world: MoneyWorld = {
    his,
    pay,
    host,
    patient: options.patient,
    patientId,
    slotIds,
    services: () => createContext({ runtime: host.runtime, identity: null }),
    appointment: async (id) => (await appointmentsOf(db).findOne({ _id: new ObjectId(id) }))!,
    payment: async (id) => (await paymentsOf(db).findOne({ appointmentId: new ObjectId(id) }))!,
    async place(slotId) {
      const slot = (await slotsOf(db).findOne({ _id: new ObjectId(slotId) }))!;
      return { remaining: slot.remaining, holders: slot.holders.map((holder) => holder.toHexString()) };
    },
    async hold(slotId) {
      const held = dataOf<{ outcome: string; appointment: { id: string } }>(
        await callAs(bookingMain, options.patient, { action: 'hold', slotId, patientId, requestId: newRequestId() }),
      );
      if (held.outcome !== 'pending_payment') throw new Error(`expected a priced hold, got ${held.outcome}`);
      return held.appointment.id;
    },
    prepay: async (appointmentId) => dataOf(await callAs(paymentMain, options.patient, { action: 'prepay', appointmentId })),
    async until(check, what) {
      for (let i = 0; i < 400; i++) {
        if (await check()) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`timed out waiting for ${what}`);
    },
    notify: (kind, request) =>
      fetch(`${host.url}/http/payment/notify/${kind}`, { method: 'POST', headers: request.headers as Record<string, string>, body: request.body }),
    refundsAt: (outTradeNo) =>
      pay.standIn
        .refunds()
        .filter((refund) => refund.outTradeNo === outTradeNo)
        .map((refund) => ({ outRefundNo: refund.outRefundNo, status: refund.status, refundFen: refund.refundFen })),
    async close() {
      await pay.standIn.notificationsIdle();
      await host.close();
      await pay.standIn.close();
      await his.standIn.close();
    },
  };
  return world;
}
