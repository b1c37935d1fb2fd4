// The one open WeChat Pay order of a held appointment, for the person about to pay it (Y1). WeChat binds a JSAPI
// order to the payer's openid, so a family member managing the same card needs an order of their own.
import { MongoServerError } from 'mongodb';
import type { AppointmentDoc } from '../booking/appointments';
import { AppError } from '../errors';
import { newOutTradeNo, paymentsOf, type PaymentDoc } from './payments';
import { closeUnpaidOrder, transactionNotifyUrl, type Services } from './settlement';
import { PayError } from './wechatPay';

export interface Payer {
  userId: PaymentDoc['createdBy'];
  openid: string;
}

/** Rounds of "someone else changed the orders meanwhile" before giving up with CONFLICT. */
const ATTEMPTS = 3;

/**
 * The payer's own open order, reused if it exists; otherwise another payer's open order is closed (unless it was
 * paid meanwhile: ALREADY_PAID, or is being paid: PAYMENT_IN_PROGRESS) and a new one issued. At most one order per
 * appointment is open at any time: the unique partial index lets one of two concurrent inserts win, and the loser
 * closes the order it created at WeChat (nobody has its prepay_id yet) and starts over from what is there now.
 */
export async function openOrderFor(
  services: Services,
  appointment: AppointmentDoc & { holdExpiresAt: Date },
  payer: Payer,
  description: () => Promise<string>,
): Promise<PaymentDoc> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const orders = await paymentsOf(services.db).find({ appointmentId: appointment._id }).toArray();
    // Paid but the appointment is still pending: the payment is being applied right now.
    if (orders.some((order) => order.status === 'paid')) throw new AppError('ALREADY_PAID');
    const open = orders.find((order) => order.status === 'created');
    if (open?.payerOpenid === payer.openid) return open;
    if (open) {
      const outcome = await closeUnpaidOrder(services, open).catch(payUnavailable);
      if (outcome === 'paid') throw new AppError('ALREADY_PAID');
      if (outcome === 'paying') throw new AppError('PAYMENT_IN_PROGRESS');
      services.log.info("closed another payer's open order to issue one for the caller", { outTradeNo: open._id, appointmentId: appointment._id.toHexString() });
    }
    const issued = await issueOrder(services, appointment, payer, await description());
    if (issued) return issued;
  }
  throw new AppError('CONFLICT');
}

/** A new order at WeChat and here; null if another open order got in first (ours is then closed at WeChat). */
async function issueOrder(services: Services, appointment: AppointmentDoc & { holdExpiresAt: Date }, payer: Payer, description: string): Promise<PaymentDoc | null> {
  const outTradeNo = newOutTradeNo(appointment._id);
  const { prepayId } = await services.pay
    .createJsapiOrder({
      outTradeNo,
      description,
      amountFen: appointment.feeFen,
      payerOpenid: payer.openid,
      timeExpire: appointment.holdExpiresAt,
      notifyUrl: transactionNotifyUrl(services),
    })
    .catch(payUnavailable);
  const order: PaymentDoc = {
    _id: outTradeNo,
    appointmentId: appointment._id,
    patientId: appointment.patientId,
    createdBy: payer.userId,
    payerOpenid: payer.openid,
    amountFen: appointment.feeFen,
    description,
    status: 'created',
    prepayId,
    expiresAt: appointment.holdExpiresAt,
    createdAt: services.now,
    updatedAt: services.now,
  };
  try {
    await paymentsOf(services.db).insertOne(order);
    return order;
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
  }
  // Never handed out, so it cannot have been paid; if the close fails it simply expires with the hold.
  await services.pay.closeOrder(outTradeNo).catch((error: unknown) => {
    if (!(error instanceof PayError)) throw error;
    services.log.warn('could not close an order that lost the race to another', { outTradeNo, kind: error.kind });
  });
  return null;
}

function payUnavailable(error: unknown): never {
  if (error instanceof PayError) throw new AppError('PAY_UNAVAILABLE');
  throw error;
}
