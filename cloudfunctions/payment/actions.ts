// The `payment` function's actions: prepay for a held appointment (Y1), and for staff the T+1
// reconciliation run on demand and its report (Y5).
import { z } from 'zod';
import { appointmentsOf } from '../shared/booking/appointments';
import { expireIfDue } from '../shared/booking/holds';
import { catalogCache } from '../shared/catalog/catalogCache';
import { defineAction } from '../shared/createMain';
import { isCalendarDate } from '../shared/domain/releaseRules';
import { AppError } from '../shared/errors';
import { findManagedPatient, parseObjectId } from '../shared/patients/patientRepository';
import { openOrderFor } from '../shared/payment/openOrder';
import { reconcile, reconciliationsOf } from '../shared/payment/reconcile';
import { PayError } from '../shared/payment/wechatPay';

const billDate = z.string().refine(isCalendarDate, '日期不对，请按 年-月-日 选择对账日期');

function payUnavailable(error: unknown): never {
  if (error instanceof PayError) throw new AppError('PAY_UNAVAILABLE');
  throw error;
}

export const paymentActions = {
  prepay: defineAction({
    auth: 'user',
    input: z.object({ appointmentId: z.string({ error: '请选择要支付的预约' }).max(64) }),
    async run(context, input) {
      const appointmentId = parseObjectId(input.appointmentId);
      const found = appointmentId ? await appointmentsOf(context.db).findOne({ _id: appointmentId }) : null;
      const managed = found ? await findManagedPatient(context.db, context.user._id, found.patientId.toHexString()) : null;
      if (!found || !managed) throw new AppError('NOT_FOUND', '没有找到这个预约，请返回预约记录再看看。');
      const appointment = await expireIfDue(context, found);
      if (appointment.status === 'booked') throw new AppError('ALREADY_PAID');
      if (appointment.status !== 'pending_payment' || !appointment.holdExpiresAt) throw new AppError('PAYMENT_WINDOW_CLOSED');

      const describe = async () => {
        const [doctor, departments] = await Promise.all([catalogCache.doctor(context.db, appointment.doctorId), catalogCache.departments(context.db)]);
        const department = departments.find((entry) => entry._id.equals(appointment.departmentId));
        return `挂号费-${department?.name ?? ''}-${doctor?.name ?? ''}`.slice(0, 127);
      };
      const payment = await openOrderFor(context, { ...appointment, holdExpiresAt: appointment.holdExpiresAt }, { userId: context.user._id, openid: context.identity.openid }, describe);
      return {
        outTradeNo: payment._id,
        amountFen: payment.amountFen,
        expiresAt: payment.expiresAt.toISOString(),
        payParams: context.pay.miniProgramPayParams(payment.prepayId),
      };
    },
  }),

  reconcile: defineAction({
    auth: 'admin',
    input: z.object({ date: billDate }),
    async run(context, input) {
      try {
        return { report: await reconcile(context, input.date) };
      } catch (error) {
        if (error instanceof PayError && error.code === 'STATEMENT_CREATING') throw new AppError('BILL_NOT_READY');
        return payUnavailable(error);
      }
    },
  }),

  reconciliation: defineAction({
    auth: 'admin',
    input: z.object({ date: billDate }),
    async run(context, input) {
      return { report: await reconciliationsOf(context.db).findOne({ _id: input.date }) };
    },
  }),
};
