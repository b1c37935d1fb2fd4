/**
 * Reminders on the embedded store with the subscription-message stand-in and a frozen business clock: the
 * department's 就诊须知 travel in the reminder (short form on WeChat, whole in the message center and on the
 * slip), a visit booked after the day-before run still gets exactly one reminder, and the optional visit-day
 * morning reminder.
 */
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { startMessageStandIn, type MessageStandIn } from '../../../cloudfunctions/local/messageStandIn';
import { standInSender } from '../../../cloudfunctions/local/localMessages';
import { main as messageMain } from '../../../cloudfunctions/message';
import { main as userMain } from '../../../cloudfunctions/user';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { createControlledClock } from '../../../cloudfunctions/shared/clock';
import { createContext } from '../../../cloudfunctions/shared/context';
import { SEE_PREPARATION } from '../../../cloudfunctions/shared/domain/preparationNotes';
import { zonedInstant } from '../../../cloudfunctions/shared/domain/releaseRules';
import { runDueJobs } from '../../../cloudfunctions/shared/jobs';
import { messageJobs } from '../../../cloudfunctions/shared/messages/messageJobs';
import { messagesOf } from '../../../cloudfunctions/shared/messages/outbox';
import { DEMO_TEMPLATES } from '../../../cloudfunctions/shared/messages/templates';
import { newRequestId } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital, ZONE, type TestClinic } from '../../support/catalog';
import { startTestHis, type TestHis } from '../../support/his';
import { startTestHost, type TestHost } from '../../support/host';
import { bindAs, PEOPLE } from '../../support/patients';
import { callAs, dataOf } from '../../support/runtime';

jest.setTimeout(60_000);

const PATIENT = 'rem-patient';
const REMINDER = DEMO_TEMPLATES.visit_reminder!.id;
const NOTES = '做胃镜前 8 小时请不要吃东西、喝水。\n请带上以前的胃镜报告和正在吃的药。';
const LONG_FIRST = '需要查空腹血糖、血脂的，前一天晚上 10 点以后请不要再吃东西。请带上化验单😀和𠮷祥物。';

describe('visit reminders', () => {
  let his: TestHis;
  let standIn: MessageStandIn;
  let host: TestHost;
  let clinic: TestClinic;
  let patientId: string;

  /** One run of the message function's timer at the current business time (the hospital's reminder hours as given). */
  const tick = async (visitDayAt: string | null = null) => {
    const context = createContext({ runtime: host.runtime, identity: null });
    await runDueJobs(context, messageJobs({ messages: context.messages, messageSettings: { ...context.messageSettings, visitDayAt } }));
  };
  const at = (offset: number, time: string) => host.runtime.clock.set(zonedInstant(dayFromToday(offset), time, ZONE));
  const reminders = () => standIn.deliveries().filter((delivery) => delivery.templateId === REMINDER);
  const outbox = (event: string) => messagesOf(host.runtime.db).find({ event: event as never }).toArray();

  async function saveNotes(preparation: string) {
    const { departments } = dataOf<{ departments: { _id: string; name: string; locationId: string }[] }>(await callAs(adminMain, ADMIN, { action: 'overview' }));
    const department = departments.find((entry) => entry._id.toString() === clinic.departmentId)!;
    dataOf(await callAs(adminMain, ADMIN, { action: 'saveDepartment', id: clinic.departmentId, name: department.name, locationId: department.locationId, preparation }));
  }
  /** Three people on the account, since one person books one doctor once a day. */
  async function family(): Promise<string[]> {
    return [patientId, (await bindAs(PATIENT, PEOPLE.son, 'child')).id, (await bindAs(PATIENT, PEOPLE.aunt, 'other')).id];
  }
  async function book(offset: number, index = 0, patient = patientId): Promise<string> {
    scheduleCache.clear();
    const { days } = dataOf<{ days: { date: string; periods: { slots: { id: string; bookable: boolean }[] }[] }[] }>(await callAs(catalogMain, PATIENT, { action: 'schedules', doctorId: clinic.doctorId }));
    const slot = days.find((day) => day.date === dayFromToday(offset))!.periods.flatMap((period) => period.slots)[index];
    const held = dataOf<{ outcome: string; appointment: { id: string } }>(await callAs(bookingMain, PATIENT, { action: 'hold', slotId: slot.id, patientId: patient, requestId: newRequestId() }));
    expect(held.outcome).toBe('booked');
    return held.appointment.id;
  }

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    his = await startTestHis();
    standIn = await startMessageStandIn({ templates: DEMO_TEMPLATES });
    host = await startTestHost({ adminOpenids: [ADMIN], his: his.client, messages: standInSender(standIn), messageStandIn: standIn, clock: createControlledClock({ running: false }) });
    for (const openid of [ADMIN, PATIENT]) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(host.runtime);
    clinic = await createClinic({ name: '消化内科', feeFen: 0, places: 4 });
    patientId = (await bindAs(PATIENT, PEOPLE.grandmother)).id;
    dataOf(await callAs(messageMain, PATIENT, { action: 'consent', results: [{ templateId: REMINDER, result: 'accept' }] }));
  });
  afterEach(async () => {
    await host.close();
    await standIn.close();
    await his.standIn.close();
  });

  it('the reminder carries the notes: their first sentence on WeChat, all of them in 消息 and on the slip it opens', async () => {
    await saveNotes(NOTES);
    at(0, '09:00');
    const id = await book(1);
    at(0, '18:00');
    await tick();
    const [sent] = reminders();
    expect(reminders()).toHaveLength(1);
    expect(sent.data.thing5.value).toBe('做胃镜前 8 小时请不要吃东西、喝水');
    expect(sent.page).toBe(`pages/booking/result/index?id=${id}`);
    const { messages } = dataOf<{ messages: { event: string; title: string; text: string }[] }>(await callAs(messageMain, PATIENT, { action: 'list' }));
    const reminder = messages.find((entry) => entry.event === 'visit_reminder')!;
    expect(reminder.title).toBe('明天就诊提醒');
    expect(reminder.text).toContain(`就诊须知：\n${NOTES}`);
    const { appointment } = dataOf<{ appointment: { preparation: string } }>(await callAs(bookingMain, PATIENT, { action: 'get', appointmentId: id }));
    expect(appointment.preparation).toBe(NOTES);
  });

  it('notes whose first sentence is long, with emoji and 生僻字: WeChat gets "please open the notes", never a cut rule', async () => {
    await saveNotes(LONG_FIRST);
    at(0, '09:00');
    await book(1);
    at(0, '18:00');
    await tick();
    expect(reminders().map((delivery) => delivery.data.thing5.value)).toEqual([SEE_PREPARATION]);
    const [doc] = await outbox('visit_reminder');
    expect(doc.text).toContain(LONG_FIRST);
  });

  it('a department without notes: the usual "bring your ID card" tip', async () => {
    at(0, '09:00');
    await book(1);
    at(0, '18:00');
    await tick();
    expect(reminders().map((delivery) => delivery.data.thing5.value)).toEqual(['带上身份证或医保卡和以前的检查报告']);
  });

  it('booked at 17:59 and at 18:01 for tomorrow, and at 06:00 for today: each gets exactly one reminder', async () => {
    const [first, second, third] = await family();
    at(0, '17:59');
    const before = await book(1, 0, first);
    await tick();
    expect(await outbox('visit_reminder')).toHaveLength(0);
    at(0, '18:00');
    await tick();
    at(0, '18:01');
    const after = await book(1, 1, second);
    await tick();
    const sentFor = () => reminders().map((delivery) => delivery.page.split('id=')[1]);
    expect(sentFor().sort()).toEqual([before, after].sort());
    // Later runs, the next day's 18:00 run and a run again at the visit day: nothing more.
    for (const time of ['18:02', '18:30', '23:59']) {
      at(0, time);
      await tick();
    }
    at(1, '06:00');
    const today = await book(1, 2, third);
    await tick();
    at(1, '07:00');
    await tick();
    expect(sentFor().sort()).toEqual([before, after, today].sort());
    const docs = await outbox('visit_reminder');
    expect(docs).toHaveLength(3);
    expect(docs.find((doc) => String(doc.appointmentId) === today)!.title).toBe('今天就诊提醒');
    expect(docs.find((doc) => String(doc.appointmentId) === after)!.title).toBe('明天就诊提醒');
  });

  it('a late booking cancelled before the next run gets no reminder', async () => {
    at(0, '18:01');
    const cancelled = await book(1, 0);
    dataOf(await callAs(bookingMain, PATIENT, { action: 'cancel', appointmentId: cancelled }));
    await tick();
    expect(await outbox('visit_reminder')).toHaveLength(0);
    expect(reminders()).toHaveLength(0);
  });

  it('with a visit-day reminder at 07:00: booked early, one the day before and one that morning; booked late, only the morning one', async () => {
    const [first, second, third] = await family();
    at(0, '09:00');
    const early = await book(1, 0, first);
    at(0, '18:00');
    await tick('07:00');
    at(0, '22:30');
    const late = await book(1, 1, second);
    await tick('07:00');
    expect((await outbox('visit_reminder')).map((doc) => String(doc.appointmentId))).toEqual([early]);
    at(1, '07:00');
    await tick('07:00');
    at(1, '07:01');
    await tick('07:00');
    const morning = await outbox('visit_day_reminder');
    expect(morning.map((doc) => String(doc.appointmentId)).sort()).toEqual([early, late].sort());
    expect(morning[0].title).toBe('今天就诊提醒');
    expect((await outbox('visit_reminder')).map((doc) => String(doc.appointmentId))).toEqual([early]);
    // Booked after the morning run for a later slot today: one reminder, at once.
    at(1, '07:10');
    const sameDay = await book(1, 2, third);
    await tick('07:00');
    at(1, '07:11');
    await tick('07:00');
    expect((await outbox('visit_reminder')).map((doc) => String(doc.appointmentId)).sort()).toEqual([early, sameDay].sort());
    expect((await outbox('visit_day_reminder')).map((doc) => String(doc.appointmentId))).not.toContain(sameDay);
  });

  it('off by default: no visit-day reminder at 07:00', async () => {
    at(0, '09:00');
    await book(1);
    at(1, '07:00');
    await tick();
    expect(await outbox('visit_day_reminder')).toHaveLength(0);
  });
});
