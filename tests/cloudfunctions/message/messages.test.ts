/**
 * Subscription messages end to end on the embedded store, with the HIS, WeChat Pay and subscription-message
 * stand-ins: what a patient is sent after each event, with and without consent, and how failures are retried.
 * The message function's timer is driven by calling its jobs with the (frozen) business clock moved on.
 */
import { ObjectId } from 'mongodb';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { startMessageStandIn, type MessageStandIn } from '../../../cloudfunctions/local/messageStandIn';
import { standInSender } from '../../../cloudfunctions/local/localMessages';
import { main as messageMain } from '../../../cloudfunctions/message';
import { main as paymentMain } from '../../../cloudfunctions/payment';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { createControlledClock } from '../../../cloudfunctions/shared/clock';
import { createContext } from '../../../cloudfunctions/shared/context';
import { zonedInstant } from '../../../cloudfunctions/shared/domain/releaseRules';
import { runDueJobs } from '../../../cloudfunctions/shared/jobs';
import { recordConsent } from '../../../cloudfunctions/shared/messages/consents';
import { messageJobs } from '../../../cloudfunctions/shared/messages/messageJobs';
import { messagesOf, type MessageDoc } from '../../../cloudfunctions/shared/messages/outbox';
import { DEMO_TEMPLATES } from '../../../cloudfunctions/shared/messages/templates';
import { paymentsOf } from '../../../cloudfunctions/shared/payment/payments';
import { findUserByIdentity } from '../../../cloudfunctions/shared/users/userRepository';
import { newRequestId } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital, ZONE, type TestClinic } from '../../support/catalog';
import { startTestHis, type TestHis } from '../../support/his';
import { startTestHost, type TestHost } from '../../support/host';
import { bindAs, PEOPLE } from '../../support/patients';
import { callAs, dataOf } from '../../support/runtime';
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay';

jest.setTimeout(60_000);

const PATIENT = 'msg-patient';
const SON = 'msg-son';
const ids = {
  confirmed: DEMO_TEMPLATES.booking_confirmed!.id,
  closing: DEMO_TEMPLATES.payment_closing!.id,
  refund: DEMO_TEMPLATES.refund_underway!.id,
  reminder: DEMO_TEMPLATES.visit_reminder!.id,
  change: DEMO_TEMPLATES.cancelled!.id,
};

interface MessageView {
  id: string;
  event: string;
  title: string;
  text: string;
  appointmentId: string | null;
  wechat: string;
  noticeSent: boolean;
  read: boolean;
}

describe('subscription messages', () => {
  let his: TestHis;
  let pay: TestWeChatPay;
  let standIn: MessageStandIn;
  let host: TestHost;
  let free: TestClinic;
  let priced: TestClinic;
  let patientId: string;

  const message = (openid: string, event: Record<string, unknown>) => callAs(messageMain, openid, event);
  const consent = async (openid: string, results: { templateId: string; result: string }[]) => dataOf(await message(openid, { action: 'consent', results }));
  const list = async (openid: string) => dataOf<{ messages: MessageView[]; unread: number }>(await message(openid, { action: 'list' }));
  /** One run of the message function's timer at the current business time, then a minute on. */
  const tick = async () => {
    const context = createContext({ runtime: host.runtime, identity: null });
    const outcomes = await runDueJobs(context, messageJobs(context));
    host.runtime.clock.advance(60_000);
    return outcomes;
  };
  const until = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const outbox = async (event: string): Promise<MessageDoc[]> => messagesOf(host.runtime.db).find({ event: event as MessageDoc['event'] }).toArray();

  /**
   * Days ahead for a visit that gets no day-before reminder during a step: tomorrow's, booked after 18:00 (the
   * business clock here is the wall clock, frozen), would get it at once (message.lateReminders).
   */
  const LATER = 2;
  async function slotOn(clinic: TestClinic, offset: number, index = 0): Promise<string> {
    scheduleCache.clear();
    const { days } = dataOf<{ days: { date: string; periods: { slots: { id: string }[] }[] }[] }>(await callAs(catalogMain, PATIENT, { action: 'schedules', doctorId: clinic.doctorId }));
    return days.find((day) => day.date === dayFromToday(offset))!.periods.flatMap((period) => period.slots)[index].id;
  }
  async function hold(openid: string, patient: string, slotId: string) {
    return dataOf<{ outcome: string; appointment: { id: string } }>(await callAs(bookingMain, openid, { action: 'hold', slotId, patientId: patient, requestId: newRequestId() }));
  }
  async function payFor(openid: string, appointmentId: string) {
    const { outTradeNo } = dataOf<{ outTradeNo: string }>(await callAs(paymentMain, openid, { action: 'prepay', appointmentId }));
    pay.standIn.pay(outTradeNo);
    await until(async () => (await paymentsOf(host.runtime.db).findOne({ _id: outTradeNo }))?.status === 'paid', 'the payment');
  }

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    his = await startTestHis();
    pay = await startTestWeChatPay();
    standIn = await startMessageStandIn({ templates: DEMO_TEMPLATES });
    host = await startTestHost({
      adminOpenids: [ADMIN],
      his: his.client,
      pay: pay.client,
      payStandIn: pay.standIn,
      messages: standInSender(standIn),
      messageStandIn: standIn,
      clock: createControlledClock({ running: false }),
    });
    for (const openid of [ADMIN, PATIENT, SON]) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(host.runtime);
    free = await createClinic({ name: '皮肤科', feeFen: 0 });
    priced = await createClinic({ name: '消化内科', feeFen: 2500 });
    patientId = (await bindAs(PATIENT, PEOPLE.grandmother)).id;
  });
  afterEach(async () => {
    await pay.standIn.notificationsIdle();
    await host.close();
    await standIn.close();
    await pay.standIn.close();
    await his.standIn.close();
  });

  it('book -> the confirmation reaches WeChat once, and the message center has it unread until read', async () => {
    await consent(PATIENT, [{ templateId: ids.confirmed, result: 'accept' }]);
    const booked = await hold(PATIENT, patientId, await slotOn(free, LATER));
    expect(booked.outcome).toBe('booked');
    await tick();
    await tick();
    const delivered = standIn.deliveries();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ touser: PATIENT, templateId: ids.confirmed, page: `pages/booking/result/index?id=${booked.appointment.id}` });
    expect(delivered[0].data.name1.value).toBe('张秀英');
    expect(delivered[0].data.thing2.value).toBe('皮肤科');
    expect(delivered[0].data.time4.value).toMatch(/^\d{4}年\d{2}月\d{2}日 08:00~08:30$/);
    const center = await list(PATIENT);
    expect(center.unread).toBe(1);
    expect(center.messages[0]).toMatchObject({ event: 'booking_confirmed', title: '预约成功', appointmentId: booked.appointment.id, noticeSent: true, read: false });
    expect(center.messages[0].text).toContain('门诊楼 3 楼 B 区');
    expect(dataOf(await message(PATIENT, { action: 'markRead', all: true }))).toMatchObject({ marked: 1, unread: 0 });
  });

  it('a refused prompt: no WeChat send is attempted, the message center still has the confirmation', async () => {
    await consent(PATIENT, [{ templateId: ids.confirmed, result: 'reject' }]);
    await hold(PATIENT, patientId, await slotOn(free, LATER));
    await tick();
    expect(standIn.deliveries()).toHaveLength(0);
    const [queued] = await outbox('booking_confirmed');
    expect(queued).toMatchObject({ wechat: 'no_consent', attempts: [] });
    expect((await list(PATIENT)).messages[0]).toMatchObject({ event: 'booking_confirmed', wechat: 'no_consent', noticeSent: false });
  });

  it('an unpaid hold gets "please pay" 3 minutes before it expires; a hold paid first gets none', async () => {
    await consent(PATIENT, [{ templateId: ids.closing, result: 'accept' }]);
    await consent(PATIENT, [{ templateId: ids.closing, result: 'accept' }]);
    const unpaid = await hold(PATIENT, patientId, await slotOn(priced, LATER));
    const paid = await hold(PATIENT, patientId, await slotOn(priced, LATER + 1));
    expect(unpaid.outcome).toBe('pending_payment');
    await payFor(PATIENT, paid.appointment.id);
    await tick(); // 10 minutes left: too early
    expect(standIn.deliveries()).toHaveLength(0);
    const appointment = await appointmentsOf(host.runtime.db).findOne({ _id: new ObjectId(unpaid.appointment.id) });
    host.runtime.clock.set(new Date(appointment!.holdExpiresAt!.getTime() - 3 * 60_000 + 1000));
    await tick();
    await tick();
    const closing = standIn.deliveries().filter((delivery) => delivery.templateId === ids.closing);
    expect(closing).toHaveLength(1);
    expect(closing[0].page).toContain(unpaid.appointment.id);
    expect(closing[0].data.amount3.value).toBe('¥25.00');
    expect((await outbox('payment_closing')).map((doc) => String(doc.appointmentId))).toEqual([unpaid.appointment.id]);
  });

  it('the HIS refuses a paid registration -> "your money is on its way back" in the center and on WeChat', async () => {
    await consent(PATIENT, [{ templateId: ids.refund, result: 'accept' }]);
    const held = await hold(PATIENT, patientId, await slotOn(priced, LATER));
    his.standIn.setMode('refuse');
    await payFor(PATIENT, held.appointment.id);
    await until(async () => (await outbox('refund_underway')).length === 1, 'the refund notice');
    await tick();
    const [delivered] = standIn.deliveries();
    expect(delivered).toMatchObject({ templateId: ids.refund, data: { amount1: { value: '¥25.00' }, phrase2: { value: '退款中' } } });
    const center = await list(PATIENT);
    expect(center.messages.find((entry) => entry.event === 'refund_underway')!.text).toContain('医院系统未能确认这次挂号');
    expect(center.messages.some((entry) => entry.event === 'booking_confirmed')).toBe(false);
  });

  it('18:00 the day before: exactly one reminder per booked appointment, none for a cancelled one, none when turned off', async () => {
    const sonPatient = (await bindAs(SON, PEOPLE.son)).id;
    for (const openid of [PATIENT, SON]) await consent(openid, [{ templateId: ids.reminder, result: 'accept' }]);
    const kept = await hold(PATIENT, patientId, await slotOn(free, 1));
    const cancelled = await hold(SON, sonPatient, await slotOn(free, 1, 1));
    dataOf(await callAs(bookingMain, SON, { action: 'cancel', appointmentId: cancelled.appointment.id }));
    const later = await hold(SON, sonPatient, await slotOn(free, 2));
    dataOf(await message(SON, { action: 'settings', reminders: false }));
    host.runtime.clock.set(zonedInstant(dayFromToday(0), '17:58', ZONE));
    await tick();
    await tick();
    expect(standIn.deliveries().filter((delivery) => delivery.templateId === ids.reminder)).toHaveLength(0);
    await tick(); // 18:00
    await tick();
    host.runtime.clock.set(zonedInstant(dayFromToday(0), '21:00', ZONE));
    await tick();
    const reminders = standIn.deliveries().filter((delivery) => delivery.templateId === ids.reminder);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ touser: PATIENT, page: `pages/booking/result/index?id=${kept.appointment.id}` });
    expect((await outbox('visit_reminder')).map((doc) => String(doc.appointmentId))).toEqual([kept.appointment.id]);
    // The son's visit the day after: reminded in the center only, since he turned WeChat reminders off.
    host.runtime.clock.set(zonedInstant(dayFromToday(1), '18:00', ZONE));
    await tick();
    const sons = await outbox('visit_reminder');
    expect(sons.find((doc) => String(doc.appointmentId) === later.appointment.id)).toMatchObject({ wechat: 'off' });
    expect(standIn.deliveries().filter((delivery) => delivery.templateId === ids.reminder)).toHaveLength(1);
  });

  it('temporary errors are retried with backoff and delivered once; every errcode is recorded', async () => {
    await consent(PATIENT, [{ templateId: ids.confirmed, result: 'accept' }]);
    standIn.failNext([-1, 45009]);
    const start = host.runtime.clock.now().getTime();
    await hold(PATIENT, patientId, await slotOn(free, LATER));
    await tick();
    let [doc] = await outbox('booking_confirmed');
    expect(doc).toMatchObject({ wechat: 'pending', attempts: [{ errcode: -1 }] });
    expect(doc.nextAttemptAt.getTime()).toBe(start + 30_000);
    await tick();
    [doc] = await outbox('booking_confirmed');
    expect(doc.attempts.map((attempt) => attempt.errcode)).toEqual([-1, 45009]);
    expect(doc.nextAttemptAt.getTime()).toBe(start + 60_000 + 60_000);
    await tick();
    await tick();
    [doc] = await outbox('booking_confirmed');
    expect(doc).toMatchObject({ wechat: 'sent' });
    expect(doc.attempts.map((attempt) => attempt.errcode)).toEqual([-1, 45009, 0]);
    expect(standIn.deliveries()).toHaveLength(1);
  });

  it('permanent errors are not retried (43101: WeChat has no quota for the person, whatever we recorded)', async () => {
    const user = await findUserByIdentity(host.runtime.db, { openid: PATIENT, appid: 'wx-test-app' });
    // Recorded here but never reported to WeChat (the stand-in): WeChat answers 43101.
    await recordConsent(host.runtime.db, { userId: user!._id, openid: PATIENT, templateId: ids.confirmed, kind: 'once', result: 'accept', now: host.runtime.clock.now() });
    await hold(PATIENT, patientId, await slotOn(free, LATER));
    for (let i = 0; i < 5; i++) await tick();
    const [doc] = await outbox('booking_confirmed');
    expect(doc).toMatchObject({ wechat: 'refused', attempts: [{ errcode: 43101 }] });
    expect(standIn.deliveries()).toHaveLength(0);
    const settings = dataOf<{ templates: { templateId: string; subscribed: boolean }[] }>(await message(PATIENT, { action: 'settings' }));
    expect(settings.templates.find((entry) => entry.templateId === ids.confirmed)).toMatchObject({ subscribed: false });
  });

  it('a family member books and cancels for a card: its owner is told both times', async () => {
    // The son manages his mother's card too (bound by ID: the owner is the grandmother's account).
    const viaSon = (await bindAs(SON, PEOPLE.grandmother, 'child')).id;
    const booked = await hold(SON, viaSon, await slotOn(free, LATER));
    dataOf(await callAs(bookingMain, SON, { action: 'cancel', appointmentId: booked.appointment.id }));
    const mother = await list(PATIENT);
    expect(mother.messages.map((entry) => entry.event).sort()).toEqual(['proxy_booked', 'proxy_cancelled']);
    expect(mother.messages.find((entry) => entry.event === 'proxy_booked')!.text).toContain('您的家人为您预约了');
    const son = await list(SON);
    expect(son.messages.map((entry) => entry.event).sort()).toEqual(['booking_confirmed', 'cancelled']);
  });
});
