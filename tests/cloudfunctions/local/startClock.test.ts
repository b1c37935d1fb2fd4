/** `npm start` gives the HIS, WeChat Pay and SMS stand-ins the host's clock: one POST /dev/clock moves every business time together. */
import { rmSync } from 'node:fs';
import { bindOnHost, callHost, setClock } from '../../support/hostApi';
import { PEOPLE } from '../../support/patients';
import { tempDir } from '../../support/runtime';
import { startHostProcess } from '../../support/startProcess';

interface Slot {
  id: string;
  bookable: boolean;
}

jest.setTimeout(120_000);

describe('npm start with the business clock moved', () => {
  it('stamps the text message sent, the WeChat Pay order and its payment with the moved time', async () => {
    const dataDir = tempDir();
    const host = await startHostProcess({ DATA_DIR: dataDir });
    try {
      const near = (iso: string | undefined, expected: number) => expect(Math.abs(Date.parse(iso ?? '') - expected)).toBeLessThan(10_000);
      const dayLater = Date.now() + 86_400_000;
      near((await setClock(host.url, { advanceMs: 86_400_000 })).toISOString(), dayLater);

      await callHost(host.url, 'demo-patient', 'user', { action: 'login' });
      const bound = await bindOnHost<{ patient: { id: string } }>(host.url, 'demo-patient', { ...PEOPLE.grandmother, relation: 'self' });
      expect(bound.ok).toBe(true);
      const outbox = (await (await fetch(`${host.url}/dev/sms`)).json()) as { data: { sentAt: string }[] };
      near(outbox.data[0]?.sentAt, dayLater);

      // A priced place the app would offer on the moved day, held and paid through the sandbox cashier.
      const { departments } = await callHost<{ departments: { id: string }[] }>(host.url, 'demo-patient', 'catalog', { action: 'departments' });
      let slotId: string | undefined;
      for (const department of departments) {
        const { doctors } = await callHost<{ doctors: { id: string; feeFen: number; nextAvailable: unknown }[] }>(host.url, 'demo-patient', 'catalog', { action: 'doctors', departmentId: department.id });
        const doctor = doctors.find((entry) => entry.feeFen > 0 && entry.nextAvailable);
        if (!doctor) continue;
        const { days } = await callHost<{ days: { periods: { slots: Slot[] }[] }[] }>(host.url, 'demo-patient', 'catalog', { action: 'schedules', doctorId: doctor.id });
        slotId = days.flatMap((day) => day.periods.flatMap((period) => period.slots)).find((slot) => slot.bookable)?.id;
        if (slotId) break;
      }
      expect(slotId).toBeDefined();
      const held = await callHost<{ outcome: string; appointment: { id: string } }>(host.url, 'demo-patient', 'booking', {
        action: 'hold',
        slotId,
        patientId: bound.data!.patient.id,
        requestId: 'clock-journey-1',
      });
      expect(held.outcome).toBe('pending_payment');
      await callHost(host.url, 'demo-patient', 'payment', { action: 'prepay', appointmentId: held.appointment.id });
      const payUrl = /WeChat Pay stand-in at (http:\/\/\S+)/.exec(host.output())![1];
      const orders = async () => (await (await fetch(`${payUrl}/__control/orders`)).json()) as { outTradeNo: string; createdAt: string; successTime?: string }[];
      const [order] = await orders();
      near(order.createdAt, dayLater);
      const paid = await fetch(`${host.url}/dev/wxpay/pay`, { method: 'POST', body: JSON.stringify({ outTradeNo: order.outTradeNo }) });
      expect(paid.status).toBe(200);
      near((await orders())[0].successTime, dayLater);
    } finally {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
