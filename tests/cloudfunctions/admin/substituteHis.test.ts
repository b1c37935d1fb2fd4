/**
 * 替诊 (A2) as the hospital's HIS sees it: the substitute job moves each paid booking's registration to the
 * colleague in the HIS (the stand-in speaking the real protocol) before moving it here. A HIS outage on one
 * booking leaves that one where it was, shown to staff as failed with the reason; a retry finishes it; running
 * the job again changes nothing more.
 */
import { ObjectId } from 'mongodb';
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as paymentMain } from '../../../cloudfunctions/payment';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { clinicJobsOf } from '../../../cloudfunctions/shared/clinicDay/clinicJobs';
import { resumeClinicJobs, runClinicJob } from '../../../cloudfunctions/shared/clinicDay/runClinicJob';
import { createContext } from '../../../cloudfunctions/shared/context';
import { paymentsOf } from '../../../cloudfunctions/shared/payment/payments';
import { newRequestId } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { addColleague, sessionOn, until } from '../../support/clinicDay';
import { startTestHis, type TestHis } from '../../support/his';
import { startTestHost, type TestHost } from '../../support/host';
import { bindAs, person } from '../../support/patients';
import { callAs, dataOf } from '../../support/runtime';
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay';

jest.setTimeout(120_000);

interface JobView {
  id: string;
  status: string;
  counts: { total: number; done: number; failed: number; remaining: number };
  items: { appointmentId: string; state: string; label: string; failure: { code: string; reason: string } | null }[];
}

describe('替诊 moves the HIS registrations too', () => {
  let his: TestHis;
  let pay: TestWeChatPay;
  let host: TestHost;

  beforeEach(async () => {
    his = await startTestHis();
    pay = await startTestWeChatPay();
    host = await startTestHost({ adminOpenids: [ADMIN], his: his.client, pay: pay.client, payStandIn: pay.standIn });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(host.runtime);
  });
  afterEach(async () => {
    await pay.standIn.notificationsIdle();
    await host.close();
    await pay.standIn.close();
    await his.standIn.close();
  });

  /** A paid booking, confirmed with the HIS, for person n in the first slot of the session. */
  async function paidBooking(n: number, slotId: string): Promise<string> {
    const openid = `substitute-his-${n}`;
    dataOf(await callAs(userMain, openid, { action: 'login' }));
    const card = await bindAs(openid, person(n));
    const held = dataOf<{ appointment: { id: string } }>(await callAs(bookingMain, openid, { action: 'hold', slotId, patientId: card.id, requestId: newRequestId() }));
    const { outTradeNo } = dataOf<{ outTradeNo: string }>(await callAs(paymentMain, openid, { action: 'prepay', appointmentId: held.appointment.id }));
    pay.standIn.pay(outTradeNo);
    await until(async () => (await paymentsOf(host.runtime.db).findOne({ _id: outTradeNo }))?.his?.status === 'confirmed', 'the HIS to confirm the booking');
    return held.appointment.id;
  }

  const jobOf = async (jobId: string) => dataOf<{ job: JobView }>(await callAs(adminMain, ADMIN, { action: 'clinicJob', jobId })).job;
  const finished = async (jobId: string) => {
    await until(async () => {
      await resumeClinicJobs(createContext({ runtime: host.runtime, identity: null }), 10_000);
      return (await jobOf(jobId)).status === 'finished';
    }, 'the job to finish', 200);
    return jobOf(jobId);
  };

  it('shows the three bookings under the colleague in the HIS with unique numbers, retries one the HIS missed, and repeats nothing', async () => {
    const clinic = await createClinic({ places: 4, feeFen: 2500 });
    const colleagueId = await addColleague(clinic.departmentId);
    const session = await sessionOn(clinic.doctorId, 2);
    const colleagueSession = await sessionOn(colleagueId, 2);
    const bookings = [await paidBooking(1, session.slots[0].id), await paidBooking(2, session.slots[0].id), await paidBooking(3, session.slots[1].id)];
    // The colleague's own patient holds a number that morning already.
    const own = await paidBooking(4, colleagueSession.slots[0].id);
    const hisAt = (id: string) => his.standIn.registration(id)!;
    expect(bookings.map((id) => hisAt(id).doctorId)).toEqual([clinic.doctorId, clinic.doctorId, clinic.doctorId]);

    // The HIS misses the second booking (503 on every attempt) while the job runs.
    his.standIn.failBooking(bookings[1]);
    const started = dataOf<{ job: { id: string } }>(
      await callAs(adminMain, ADMIN, { action: 'stopClinic', target: { scope: 'day', doctorId: clinic.doctorId, date: dayFromToday(2) }, reason: '医生临时外出会诊', substituteDoctorId: colleagueId }),
    );
    const first = await finished(started.job.id);
    expect(first.counts).toMatchObject({ total: 3, done: 2, failed: 1, remaining: 0 });
    const failed = first.items.find((item) => item.state === 'failed')!;
    expect(failed).toMatchObject({ appointmentId: bookings[1], failure: { code: 'HIS_UNAVAILABLE' } });
    expect(failed.label).toContain('医院系统');
    // Left as it was, here and in the HIS; its claimed place at the colleague's went back.
    const stranded = (await appointmentsOf(host.runtime.db).findOne({ _id: new ObjectId(bookings[1]) }))!;
    expect(stranded).toMatchObject({ status: 'booked', active: true });
    expect(stranded.doctorId.toHexString()).toBe(clinic.doctorId);
    expect(stranded.substitution).toBeUndefined();
    expect(hisAt(bookings[1]).doctorId).toBe(clinic.doctorId);
    expect(hisAt(bookings[0]).doctorId).toBe(colleagueId);

    his.standIn.failBooking(bookings[1], false);
    const retried = dataOf<{ job: JobView }>(await callAs(adminMain, ADMIN, { action: 'retryClinicJob', jobId: started.job.id }));
    const done = retried.job.status === 'finished' ? retried.job : await finished(started.job.id);
    expect(done.counts).toMatchObject({ total: 3, done: 3, failed: 0, remaining: 0 });

    // The HIS and our store agree: each booking under the colleague, with the number we hold, none shared.
    for (const id of bookings) {
      const stored = (await appointmentsOf(host.runtime.db).findOne({ _id: new ObjectId(id) }))!;
      expect(stored.doctorId.toHexString()).toBe(colleagueId);
      expect(hisAt(id)).toMatchObject({ status: 'confirmed', doctorId: colleagueId, date: dayFromToday(2), number: stored.number, start: stored.start.toISOString() });
    }
    const numbers = [...bookings, own].map((id) => hisAt(id).number);
    expect(new Set(numbers).size).toBe(4);

    // Running the job again (as after a crash that lost its progress) changes nothing more, here or in the HIS.
    const state = async () => ({
      appointments: await appointmentsOf(host.runtime.db).find({}).sort({ _id: 1 }).toArray(),
      his: [...bookings, own].map(hisAt),
    });
    const before = await state();
    await clinicJobsOf(host.runtime.db).updateOne({ _id: new ObjectId(started.job.id) }, { $set: { status: 'running', done: {}, failed: {}, leaseUntil: new Date(0) }, $unset: { finishedAt: '' } });
    const rerun = await runClinicJob(createContext({ runtime: host.runtime, identity: null }), new ObjectId(started.job.id), 10_000);
    expect(rerun).toMatchObject({ ran: true, handled: 3, finished: true });
    expect(await state()).toEqual(before);
    expect((await jobOf(started.job.id)).counts).toMatchObject({ total: 3, done: 3, failed: 0 });
  });

  it('reports a registration the HIS no longer holds as refused, with a sentence for staff, and changes nothing', async () => {
    const clinic = await createClinic({ places: 4, feeFen: 2500 });
    const colleagueId = await addColleague(clinic.departmentId);
    const session = await sessionOn(clinic.doctorId, 2);
    const booking = await paidBooking(5, session.slots[0].id);
    // Someone at the hospital's counter cancelled it in the HIS directly.
    await his.client.cancelRegistration(booking);
    const started = dataOf<{ job: { id: string } }>(
      await callAs(adminMain, ADMIN, { action: 'stopClinic', target: { scope: 'day', doctorId: clinic.doctorId, date: dayFromToday(2) }, reason: '医生临时外出会诊', substituteDoctorId: colleagueId }),
    );
    const job = await finished(started.job.id);
    expect(job.items[0]).toMatchObject({ state: 'failed', failure: { code: 'HIS_REFUSED_MOVE' } });
    expect(job.items[0].label).toContain('重试');
    const stored = (await appointmentsOf(host.runtime.db).findOne({ _id: new ObjectId(booking) }))!;
    expect(stored.doctorId.toHexString()).toBe(clinic.doctorId);
    expect((await sessionOn(colleagueId, 2)).slots.every((slot) => slot.remaining === 4)).toBe(true);
  });
});
