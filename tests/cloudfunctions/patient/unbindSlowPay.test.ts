// An unbind that has to settle an unpaid order first, with WeChat Pay answering slowly: its check and its
// removal take longer than one patient lease (5 s), and a hold tapped in between must still not slip in
// and leave a booking on a card nobody manages any more.
import { ObjectId } from 'mongodb';
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as paymentMain } from '../../../cloudfunctions/payment';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { LEASE_MS } from '../../../cloudfunctions/shared/booking/lease';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { createWeChatPayClient } from '../../../cloudfunctions/shared/payment/wechatPayClient';
import { parsePayConfig } from '../../../cloudfunctions/shared/payment/wechatPayConfig';
import { linksOf } from '../../../cloudfunctions/shared/patients/patientRepository';
import { booking, hold, newRequestId, quickPatient, slotIdsOn } from '../../support/booking';
import { ADMIN, createClinic, seedHospital } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay';

jest.setTimeout(60_000);

/** Each WeChat Pay answer this late: asking about the order and closing it take longer than a lease together. */
const PAY_DELAY_MS = Math.ceil((LEASE_MS * 0.7) / 100) * 100;

let pay: TestWeChatPay;
let runtime: TestRuntime;
beforeEach(async () => {
  scheduleCache.clear();
  catalogCache.invalidate();
  pay = await startTestWeChatPay();
  const config = parsePayConfig({ ...pay.standIn.config, WXPAY_TIMEOUT_MS: String(PAY_DELAY_MS * 2) })!;
  runtime = await openTestRuntime({ adminOpenids: [ADMIN] }, { pay: createWeChatPayClient(config) });
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  await seedHospital(runtime);
});
afterEach(async () => {
  await runtime.dispose();
  await pay.standIn.close();
});

it('keeps a hold tapped during a slow unbind from booking on the card being let go', async () => {
  const clinic = await createClinic({ places: 2, feeFen: 2500 });
  const mother = await quickPatient(runtime, 'slow-pay-mother');
  const [first] = await slotIdsOn(clinic.doctorId, 2);
  // Another day, so that no rule but the lease stands between the tap and a booking.
  const [second] = await slotIdsOn(clinic.doctorId, 3);
  // An unpaid hold with an order at WeChat Pay, then its payment time runs out.
  const held = await hold(mother, first);
  expect(held.outcome).toBe('pending_payment');
  dataOf(await callAs(paymentMain, mother.openid, { action: 'prepay', appointmentId: held.appointment!.id }));
  runtime.clock.advance(runtime.config.paymentHoldMinutes * 60_000 + 1_000);
  pay.standIn.setMode({ delayMs: PAY_DELAY_MS });

  // The unbind asks WeChat Pay about the order and closes it before letting the card go...
  const unbinding = callAs(patientMain, mother.openid, { action: 'unbind', patientId: mother.patientId });
  // ...and the same person taps a new hold for the card once a lease's length has passed.
  await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 300));
  const tapped = await booking(mother.openid, { action: 'hold', slotId: second, patientId: mother.patientId, requestId: newRequestId() });
  expect(await unbinding).toMatchObject({ ok: true });

  // The card is let go; the tap was told it is gone or to try again, and booked nothing.
  expect(await linksOf(runtime.db).countDocuments({ patientId: new ObjectId(mother.patientId) })).toBe(0);
  expect(tapped.ok ? 'ok' : tapped.code).toMatch(/^(NOT_FOUND|CONFLICT)$/);
  expect(await appointmentsOf(runtime.db).countDocuments({ patientId: new ObjectId(mother.patientId), active: true })).toBe(0);
});
