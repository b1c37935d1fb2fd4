// The payments collection's indexes on the embedded store: one open order per appointment, any number of closed or
// paid ones, and a store created before several orders per appointment were possible is moved over.
import { MongoServerError, ObjectId } from 'mongodb';
import { ensurePaymentIndexes, paymentsOf, type PaymentDoc } from '../../../../cloudfunctions/shared/payment/payments';
import { openTestRuntime, type TestRuntime } from '../../../support/runtime';

const appointmentId = new ObjectId();
const order = (name: string, status: PaymentDoc['status']): PaymentDoc => ({
  _id: name,
  appointmentId,
  patientId: new ObjectId(),
  createdBy: new ObjectId(),
  payerOpenid: `o-${name}`,
  amountFen: 2500,
  description: '挂号费',
  status,
  prepayId: `wx-${name}`,
  expiresAt: new Date(),
  createdAt: new Date(),
  updatedAt: new Date(),
});

describe('payment indexes', () => {
  let runtime: TestRuntime;
  beforeEach(async () => {
    runtime = await openTestRuntime();
  });
  afterEach(() => runtime.dispose());

  it('replaces the old one-order-per-appointment index and then allows one open order among closed and paid ones', async () => {
    await paymentsOf(runtime.db).createIndex({ appointmentId: 1 }, { unique: true, name: 'one_order_per_appointment' });
    await paymentsOf(runtime.db).insertOne(order('YYold', 'closed'));
    await ensurePaymentIndexes(runtime.db);
    await ensurePaymentIndexes(runtime.db); // every cold start runs it again
    const names = (await paymentsOf(runtime.db).listIndexes().toArray()).map((index) => index.name);
    expect(names).not.toContain('one_order_per_appointment');
    expect(names).toEqual(expect.arrayContaining(['orders_of_appointment', 'one_open_order_per_appointment']));

    await paymentsOf(runtime.db).insertMany([order('YYpaid', 'paid'), order('YYopen', 'created')]);
    const second = await paymentsOf(runtime.db).insertOne(order('YYopen2', 'created')).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(MongoServerError);
    expect((second as MongoServerError).code).toBe(11000);
    // Closing the open one makes room for the next.
    await paymentsOf(runtime.db).updateOne({ _id: 'YYopen' }, { $set: { status: 'closed' } });
    await paymentsOf(runtime.db).insertOne(order('YYopen2', 'created'));
    expect(await paymentsOf(runtime.db).countDocuments({ appointmentId })).toBe(4);
  });
});
