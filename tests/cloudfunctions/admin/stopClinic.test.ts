/**
 * 停诊 (A2) end to end on the embedded store, the HIS stand-in and the WeChat Pay stand-in: staff stop a session
 * holding ten appointments of every kind; each ends as it should, paid ones refunded once, HIS registrations
 * cancelled, one notice each; starting again changes nothing; failures are shown and retried.
 */
import { messagesOf } from '../../../cloudfunctions/shared/messages/outbox';
import { ObjectId } from 'mongodb';
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { clinicJobsOf } from '../../../cloudfunctions/shared/clinicDay/clinicJobs';
import { resumeClinicJobs } from '../../../cloudfunctions/shared/clinicDay/runClinicJob';
import { createContext } from '../../../cloudfunctions/shared/context';
import { outRefundNoFor, paymentsOf } from '../../../cloudfunctions/shared/payment/payments';
import { newRequestId } from '../../support/booking';
import { ADMIN } from '../../support/catalog';
import { sessionOn, until, useFilledSession } from '../../support/clinicDay';
import { callAs, dataOf } from '../../support/runtime';

jest.setTimeout(120_000);

interface JobView {
  id: string;
  status: string;
  counts: { total: number; done: number; failed: number; remaining: number; refunded: number };
  summary: string;
  items: { appointmentId: string; state: string; label: string; outcome: string | null; failure: { code: string; reason: string } | null }[];
}
const REASON = '医生临时有急诊手术';

describe('admin.stopClinic', () => {
  const world = useFilledSession();

  const stop = (event: Record<string, unknown> = {}, caller = ADMIN) =>
    callAs(adminMain, caller, { action: 'stopClinic', target: { scope: 'session', scheduleId: world.fixture.scheduleId }, reason: REASON, ...event });
  const jobOf = async (jobId: string) => dataOf<{ job: JobView }>(await callAs(adminMain, ADMIN, { action: 'clinicJob', jobId })).job;
  const appointment = async (id: string) => (await appointmentsOf(world.host.runtime.db).findOne({ _id: new ObjectId(id) }))!;
  const finished = async (jobId: string) => {
    // The tick carries on what the action's own budget did not finish.
    await until(async () => {
      await resumeClinicJobs({ ...createContext({ runtime: world.host.runtime, identity: null }) }, 10_000);
      return (await jobOf(jobId)).status === 'finished';
    }, 'the job to finish', 200);
    return jobOf(jobId);
  };
  const snapshot = async () => ({
    appointments: await appointmentsOf(world.host.runtime.db).find({}).sort({ _id: 1 }).toArray(),
    payments: await paymentsOf(world.host.runtime.db).find({}).sort({ _id: 1 }).toArray(),
    slots: await slotsOf(world.host.runtime.db).find({ scheduleId: new ObjectId(world.fixture.scheduleId) }).sort({ _id: 1 }).toArray(),
  });

  it('cancels, refunds and tells every patient of the session, each once; the catalog shows 停诊 at once', async () => {
    const answer = dataOf<{ job: JobView; alreadyStopped: boolean; message: string }>(await stop());
    expect(answer.alreadyStopped).toBe(false);
    expect(answer.message).toContain('患者端已显示停诊');
    const session = await sessionOn(world.fixture.clinic.doctorId, 2);
    expect(session.status).toBe('stopped');
    expect(session.slots.every((slot) => !slot.bookable)).toBe(true);

    const job = await finished(answer.job.id);
    // The already cancelled one is not the job's business; the nine others are handled, none failed.
    expect(job.counts).toEqual({ total: 9, done: 9, failed: 0, remaining: 0, refunded: 4 });
    expect(job.summary).toContain('停诊已全部处理完成');

    for (const entry of world.fixture.patients) {
      const stored = await appointment(entry.appointmentId);
      if (entry.kind === 'cancelled') {
        expect(stored).toMatchObject({ status: 'cancelled' });
        expect(stored.clinicStop).toBeUndefined();
        expect(stored.notices).toBeUndefined();
        continue;
      }
      if (entry.kind === 'holding') {
        expect(stored).toMatchObject({ status: 'failed', failure: { code: 'SLOT_CLOSED' } });
        continue;
      }
      expect(stored).toMatchObject({ status: 'cancelled', clinicStop: { reason: REASON } });
      expect(stored.active).toBeUndefined();
      expect(stored.notices).toHaveLength(1);
      expect(stored.notices![0].text).toContain(REASON);
      // The same words wait in the booker's message center (and go out as a WeChat notice with consent), once.
      const queued = await messagesOf(world.host.runtime.db).find({ appointmentId: stored._id, event: 'stop_clinic' }).toArray();
      expect(queued.map((message) => message.text)).toEqual([stored.notices![0].text]);
      if (entry.kind === 'paid') {
        const order = (await paymentsOf(world.host.runtime.db).findOne({ _id: entry.outTradeNo! }))!;
        expect(order.refund).toMatchObject({ reason: 'clinic_stopped', amountFen: 2500 });
        expect(world.pay.standIn.refund(outRefundNoFor(entry.outTradeNo!))).toMatchObject({ refundFen: 2500, outTradeNo: entry.outTradeNo });
        expect(world.his.standIn.registrationStatus(entry.appointmentId)).toBe('cancelled');
        expect(stored.notices![0].text).toContain('挂号费会原路退回');
      }
      if (entry.kind === 'pending') expect(world.pay.standIn.order((await paymentsOf(world.host.runtime.db).findOne({ appointmentId: stored._id }))?._id ?? '')?.tradeState ?? 'CLOSED').not.toBe('SUCCESS');
    }
    // Every place is back.
    for (const slot of (await snapshot()).slots) expect(slot).toMatchObject({ remaining: slot.capacity, holders: [] });

    // The patient reads it on the slip: 停诊, the reason, where to go instead and a link to book.
    const paid = world.fixture.patients.find((entry) => entry.kind === 'paid')!;
    const { appointment: view } = dataOf<{ appointment: { statusLabel: string; message: string; clinicStopped: { label: string; reason: string }; notices: { text: string; alternatives: { kind: string; sentence: string; bookLink: string }[]; bookLink: string }[] } }>(
      await callAs(bookingMain, paid.openid, { action: 'get', appointmentId: paid.appointmentId }),
    );
    expect(view.clinicStopped).toEqual({ label: '停诊', reason: REASON });
    expect(view.message).toContain('医生停诊');
    expect(view.notices[0].alternatives.map((entry) => entry.kind)).toEqual(['same_doctor', 'same_department_day']);
    expect(view.notices[0].text).toContain('王建国医生');
    expect(view.notices[0].text).toContain('李文华医生');
    expect(view.notices[0].bookLink).toMatch(/^\/pages\/catalog\/doctor\/index\?id=[0-9a-f]{24}&slotId=[0-9a-f]{24}$/);

    // A new hold on the stopped session is refused.
    const late = await callAs(bookingMain, world.fixture.patients[6].openid, { action: 'hold', slotId: session.slots[0].id, patientId: world.fixture.patients[6].patientId, requestId: newRequestId() });
    expect(late).toMatchObject({ ok: false, code: 'SLOT_CLOSED' });

    // Starting it again answers with the same job and changes nothing.
    const before = await snapshot();
    const again = dataOf<{ job: JobView; alreadyStopped: boolean; message: string }>(await stop());
    expect(again).toMatchObject({ alreadyStopped: true, job: { id: answer.job.id } });
    expect(again.message).toContain('已经停诊过了');
    expect(await snapshot()).toEqual(before);
    expect(await clinicJobsOf(world.host.runtime.db).countDocuments()).toBe(1);
    expect(await callAs(adminMain, ADMIN, { action: 'retryClinicJob', jobId: answer.job.id })).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('shows a failure with its reason when the HIS is down, leaves that booking as it was, and finishes on retry', async () => {
    world.his.standIn.setMode('fail');
    const answer = dataOf<{ job: JobView }>(await stop());
    const job = await finished(answer.job.id);
    expect(job.counts.failed).toBe(4);
    const failed = job.items.filter((item) => item.state === 'failed');
    expect(failed.every((item) => item.failure?.code === 'HIS_UNAVAILABLE' && item.label.includes('医院系统'))).toBe(true);
    expect(job.summary).toContain('失败 4 个');
    for (const item of failed) {
      const stored = await appointment(item.appointmentId);
      expect(stored).toMatchObject({ status: 'booked', active: true });
      expect((await paymentsOf(world.host.runtime.db).findOne({ appointmentId: stored._id }))?.refund).toBeUndefined();
    }

    world.his.standIn.setMode('normal');
    const retried = dataOf<{ job: JobView }>(await callAs(adminMain, ADMIN, { action: 'retryClinicJob', jobId: answer.job.id }));
    const done = retried.job.status === 'finished' ? retried.job : await finished(answer.job.id);
    expect(done.counts).toMatchObject({ total: 9, done: 9, failed: 0, remaining: 0, refunded: 4 });
    for (const entry of world.fixture.patients.filter((patient) => patient.kind === 'paid')) {
      expect(world.his.standIn.registrationStatus(entry.appointmentId)).toBe('cancelled');
      expect((await appointment(entry.appointmentId)).notices).toHaveLength(1);
    }
  });

  it('refuses patients and bad input, changing nothing', async () => {
    const before = await snapshot();
    const patient = world.fixture.patients[0].openid;
    expect(await stop({}, patient)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await callAs(adminMain, patient, { action: 'clinicJobs' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await callAs(adminMain, null, { action: 'clinicJobs' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    const bad: Record<string, unknown>[] = [
      { target: { scope: 'session', scheduleId: 'nope' } },
      { target: { scope: 'week', doctorId: world.fixture.clinic.doctorId } },
      { target: { scope: 'day', doctorId: world.fixture.clinic.doctorId, date: '2026/12/01' } },
      { reason: '' },
      { reason: 'x'.repeat(41) },
      { reason: 42 },
      { target: null },
      { substituteDoctorId: '{"$ne":null}' },
      { target: { scope: 'range', doctorId: world.fixture.clinic.doctorId, from: world.fixture.date, to: '2099-01-01' } },
    ];
    for (const payload of bad) expect(await stop(payload)).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(await stop({ target: { scope: 'session', scheduleId: new ObjectId().toHexString() } })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await stop({ target: { scope: 'day', doctorId: world.fixture.clinic.doctorId, date: '2020-01-01' } })).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(await callAs(adminMain, ADMIN, { action: 'clinicJob', jobId: new ObjectId().toHexString() })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    // A substitute from another fee class or the doctor himself is refused.
    expect(await stop({ substituteDoctorId: world.fixture.clinic.doctorId })).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(await snapshot()).toEqual(before);
    expect(await clinicJobsOf(world.host.runtime.db).countDocuments()).toBe(0);
    expect((await sessionOn(world.fixture.clinic.doctorId, 2)).status).toBe('open');
  });
});
