// A clinic day for stop-clinic tests: one session of a priced doctor filled with every kind of appointment
// staff meet (paid, free, waiting for payment, still being held, already cancelled), built through the
// real booking and payment functions against the HIS and WeChat Pay stand-ins.
import { ObjectId } from 'mongodb';
import { main as bookingMain } from '../../cloudfunctions/booking';
import { main as catalogMain } from '../../cloudfunctions/catalog';
import { main as paymentMain } from '../../cloudfunctions/payment';
import { main as userMain } from '../../cloudfunctions/user';
import { appointmentsOf, claimPlace } from '../../cloudfunctions/shared/booking/appointments';
import { catalogCache } from '../../cloudfunctions/shared/catalog/catalogCache';
import { schedulesOf } from '../../cloudfunctions/shared/catalog/collections';
import { scheduleCache } from '../../cloudfunctions/shared/catalog/scheduleCache';
import { paymentsOf } from '../../cloudfunctions/shared/payment/payments';
import { newRequestId } from './booking';
import { ADMIN, admin, createClinic, seedHospital, dayFromToday, type TestClinic } from './catalog';
import { startTestHis, type TestHis } from './his';
import { startTestHost, type TestHost } from './host';
import { bindAs, person } from './patients';
import { callAs, dataOf, type TestRuntime } from './runtime';
import { startTestWeChatPay, type TestWeChatPay } from './wechatPay';

export interface SessionPatient {
  openid: string;
  patientId: string;
  appointmentId: string;
  kind: 'paid' | 'free' | 'pending' | 'holding' | 'cancelled';
  outTradeNo?: string;
}

export interface StopFixture {
  clinic: TestClinic;
  /** A second doctor of the same department and fee class, working the same hours. */
  colleagueId: string;
  scheduleId: string;
  date: string;
  patients: SessionPatient[];
}

export const until = async (check: () => Promise<boolean>, what: string, tries = 400): Promise<void> => {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** The doctor's session on the day `offset` days ahead, and its slot ids, as the app reads them. */
export async function sessionOn(doctorId: string, offset: number, caller = 'patient-reader'): Promise<{ scheduleId: string; status: string; slots: { id: string; bookable: boolean; remaining: number }[] }> {
  scheduleCache.clear();
  const { days } = dataOf<{ days: { date: string; periods: { scheduleId: string; status: string; slots: { id: string; bookable: boolean; remaining: number }[] }[] }[] }>(
    await callAs(catalogMain, caller, { action: 'schedules', doctorId }),
  );
  return days.find((day) => day.date === dayFromToday(offset))!.periods[0];
}

export async function addColleague(departmentId: string, name = '李文华'): Promise<string> {
  const { doctor } = await admin<{ doctor: { _id: string } }>({ action: 'saveDoctor', departmentId, name, title: '主治医师', specialty: '皮炎', intro: '皮肤科医生。', feeClass: '普通', feeFen: 2500 });
  for (let weekday = 1; weekday <= 7; weekday++) {
    await admin({ action: 'saveTemplate', doctorId: String(doctor._id), weekday, period: 'morning', startTime: '08:00', endTime: '10:00', slotMinutes: 30, placesPerSlot: 4, locationId: 'opd-3b' });
  }
  await admin({ action: 'generateSchedules', from: dayFromToday(0), to: dayFromToday(13), doctorId: String(doctor._id) });
  return String(doctor._id);
}

/**
 * Ten appointments in the doctor's session `offset` days ahead: 4 paid (confirmed with the HIS), 3 free,
 * 1 waiting for payment, 1 still being held (a process mid-hold), 1 the patient already cancelled.
 */
export async function fillSession(runtime: TestRuntime, pay: TestWeChatPay, offset = 2, firstPerson = 0): Promise<StopFixture> {
  scheduleCache.clear();
  catalogCache.invalidate();
  const clinic = await createClinic({ places: 4, feeFen: 2500 });
  const colleagueId = await addColleague(clinic.departmentId);
  const session = await sessionOn(clinic.doctorId, offset);
  const kinds: SessionPatient['kind'][] = ['paid', 'paid', 'paid', 'paid', 'pending', 'holding', 'cancelled', 'free', 'free', 'free'];
  const patients: SessionPatient[] = [];
  for (const [i, kind] of kinds.entries()) {
    const openid = `stop-patient-${firstPerson + i}`;
    dataOf(await callAs(userMain, openid, { action: 'login' }));
    const card = await bindAs(openid, person(firstPerson + i));
    if (kind === 'free' && i === 7) {
      // The rest of the session is free of charge (e.g. a fee waived for the day): held as 'booked' at once.
      await schedulesOf(runtime.db).updateOne({ _id: new ObjectId(session.scheduleId) }, { $set: { feeFen: 0 } });
    }
    const slotId = session.slots[i % session.slots.length].id;
    if (kind === 'holding') {
      // A hold a process is still making: written and its place claimed, the outcome not yet.
      const slot = new ObjectId(slotId);
      const id = new ObjectId();
      const patient = new ObjectId(card.id);
      const first = (await appointmentsOf(runtime.db).findOne({ slotId: slot }))!;
      await appointmentsOf(runtime.db).insertOne({ ...first, _id: id, patientId: patient, createdBy: new ObjectId(), requestId: newRequestId(), number: null, status: 'holding', active: true, holdExpiresAt: null, createdAt: new Date(), updatedAt: new Date() });
      await claimPlace(runtime.db, slot, id);
      patients.push({ openid, patientId: card.id, appointmentId: id.toHexString(), kind });
      continue;
    }
    const held = dataOf<{ outcome: string; appointment: { id: string } }>(await callAs(bookingMain, openid, { action: 'hold', slotId, patientId: card.id, requestId: newRequestId() }));
    const entry: SessionPatient = { openid, patientId: card.id, appointmentId: held.appointment.id, kind };
    if (kind === 'paid') {
      const { outTradeNo } = dataOf<{ outTradeNo: string }>(await callAs(paymentMain, openid, { action: 'prepay', appointmentId: entry.appointmentId }));
      pay.standIn.pay(outTradeNo);
      await until(async () => (await paymentsOf(runtime.db).findOne({ _id: outTradeNo }))?.his?.status === 'confirmed', 'the HIS to confirm a paid booking');
      entry.outTradeNo = outTradeNo;
    }
    if (kind === 'cancelled') dataOf(await callAs(bookingMain, openid, { action: 'cancel', appointmentId: entry.appointmentId }));
    patients.push(entry);
  }
  return { clinic, colleagueId, scheduleId: session.scheduleId, date: dayFromToday(offset), patients };
}

export interface FilledSessionWorld {
  his: TestHis;
  pay: TestWeChatPay;
  host: TestHost;
  fixture: StopFixture;
}

/**
 * For each test of the describe it is called in: a host on the HIS and WeChat Pay stand-ins with a signed-in
 * admin, the hospital seeded and one session filled by `fillSession`; all closed after the test.
 */
export function useFilledSession(): FilledSessionWorld {
  const world = {} as FilledSessionWorld;
  beforeEach(async () => {
    world.his = await startTestHis();
    world.pay = await startTestWeChatPay();
    world.host = await startTestHost({ adminOpenids: [ADMIN], his: world.his.client, pay: world.pay.client, payStandIn: world.pay.standIn });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(world.host.runtime);
    world.fixture = await fillSession(world.host.runtime, world.pay);
  });
  afterEach(async () => {
    await world.pay.standIn.notificationsIdle();
    await world.host.close();
    await world.pay.standIn.close();
    await world.his.standIn.close();
  });
  return world;
}
