// Order numbers and which of an appointment's orders speaks for it.
import { ObjectId } from 'mongodb';
import { newOutTradeNo, outRefundNoFor, pickOrderOfAppointment, type PaymentDoc } from '../../../../cloudfunctions/shared/payment/payments';

const appointmentId = new ObjectId('6b0e117e6cc2aeb7649c199e');

function order(name: string, minute: number, fields: Partial<PaymentDoc> = {}): PaymentDoc {
  const at = new Date(Date.UTC(2026, 11, 1, 1, minute));
  return {
    _id: name,
    appointmentId,
    patientId: new ObjectId(),
    createdBy: new ObjectId(),
    payerOpenid: `o-${name}`,
    amountFen: 2500,
    description: '挂号费',
    status: 'closed',
    prepayId: `wx-${name}`,
    expiresAt: at,
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

const lateRefund = { outRefundNo: 'RF1', status: 'succeeded' as const, reason: 'late_payment' as const, amountFen: 2500, requestedAt: new Date() };
const cancelRefund = { ...lateRefund, reason: 'cancelled' as const };

describe('newOutTradeNo', () => {
  it('is 32 characters WeChat accepts, names the appointment, and differs every time', () => {
    const numbers = new Set(Array.from({ length: 1000 }, () => newOutTradeNo(appointmentId)));
    expect(numbers.size).toBe(1000);
    for (const number of numbers) expect(number).toMatch(/^YY6b0e117e6cc2aeb7649c199e[0-9A-Za-z]{6}$/);
  });

  it('names refunds after their order, keeping the older 26-character numbers as they were', () => {
    expect(outRefundNoFor('YY6b0e117e6cc2aeb7649c199e')).toBe('RF6b0e117e6cc2aeb7649c199e');
    expect(outRefundNoFor('YY6b0e117e6cc2aeb7649c199eAb12Cd')).toBe('RF6b0e117e6cc2aeb7649c199eAb12Cd');
  });
});

describe('pickOrderOfAppointment', () => {
  it.each<[string, PaymentDoc[], string | null]>([
    ['no order', [], null],
    ['the only order', [order('a', 1)], 'a'],
    ['the open order over older closed ones', [order('a', 1), order('b', 2, { status: 'created' }), order('c', 0)], 'b'],
    ['the paid order over a newer open one', [order('a', 1, { status: 'paid' }), order('b', 2, { status: 'created' })], 'a'],
    ['the payment that booked it over a late one refunded', [order('late', 3, { status: 'paid', refund: lateRefund }), order('booked', 2, { status: 'paid' })], 'booked'],
    ['a booked payment later refunded on cancellation over a late one', [order('late', 3, { status: 'paid', refund: lateRefund }), order('booked', 2, { status: 'paid', refund: cancelRefund })], 'booked'],
    ['a late payment over closed orders when nothing booked it', [order('a', 1), order('late', 2, { status: 'paid', refund: lateRefund }), order('c', 3)], 'late'],
    ['the newest of closed orders', [order('a', 1), order('b', 5), order('c', 3)], 'b'],
  ])('%s', (_label, orders, expected) => {
    expect(pickOrderOfAppointment(orders)?._id ?? null).toBe(expected);
  });
});
