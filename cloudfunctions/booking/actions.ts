// The `booking` function's actions (B2-B4): hold a place in one tap, cancel, list and read.
import type { ObjectId } from 'mongodb';
import { z } from 'zod';
import { appointmentsOf, type AppointmentDoc } from '../shared/booking/appointments';
import { assertBookable, assertEligible, bookingCounts, bookingRefusal, cancelAppointment, expireIfDue, loadSlot, type SlotContext } from '../shared/booking/holds';
import { holdCache } from '../shared/booking/holdCache';
import { cardsEligibility } from '../shared/booking/cardEligibility';
import { decideUnderLeases } from '../shared/booking/bookPlace';
import { awaitDraw, drawEntryOf, drawnAppointment, enterDraw } from '../shared/booking/draws';
import { drawPhase, drawRuleOf, drawSentence, drawWindow } from '../shared/domain/releaseDraw';
import { releaseInstant } from '../shared/domain/releaseRules';
import { nextAlternative, type Alternative } from '../shared/booking/alternatives';
import { catalogCache } from '../shared/catalog/catalogCache';
import { checkIn } from '../shared/clinicDay/checkIn';
import { checkSelfCheckIn } from '../shared/domain/checkIn';
import { rulesForDepartment } from '../shared/catalog/rules';
import type { AccountContext } from '../shared/context';
import { defineAction } from '../shared/createMain';
import { AppError } from '../shared/errors';
import { findManagedPatient, listManagedPatients, parseObjectId, type ManagedPatient, type PatientDoc } from '../shared/patients/patientRepository';
import { accountSubject, enforceRateLimit, limitCaller, RATE_RULES } from '../shared/rateLimit';
import { noteRequest, noteThrottled } from '../shared/scriptingSigns';
import type { PaymentDoc } from '../shared/payment/payments';
import { openSharedSlip, shareSlip } from './sharedSlip';
import { paymentsFor, toAppointmentView } from './views';

const id = (message: string) => z.string({ error: message }).max(64);
const requestId = z
  .string({ error: '请求缺少编号，请更新小程序后再试。' })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不对，请更新小程序后再试。');

/** How long a replay waits for the same request still in flight elsewhere (real time, not the business clock). */
export const IN_FLIGHT_WAIT_MS = 3000;

async function rulesOf(context: AccountContext, appointment: AppointmentDoc) {
  const department = (await catalogCache.departments(context.db)).find((entry) => entry._id.equals(appointment.departmentId));
  if (!department) throw new AppError('NOT_FOUND');
  return rulesForDepartment(context, department);
}

async function view(context: AccountContext, appointment: AppointmentDoc, patient: Pick<PatientDoc, '_id' | 'name'>, payment?: PaymentDoc | null) {
  return toAppointmentView(context.db, appointment, patient, await rulesOf(context, appointment), context.now, payment);
}

/** The caller's appointment by id, or NOT_FOUND when it is not for one of the caller's cards. */
async function findOwnAppointment(context: AccountContext, rawId: string): Promise<{ appointment: AppointmentDoc; patient: PatientDoc }> {
  const appointmentId = parseObjectId(rawId);
  const appointment = appointmentId ? await appointmentsOf(context.db).findOne({ _id: appointmentId }) : null;
  const managed = appointment ? await findManagedPatient(context.db, context.user._id, appointment.patientId.toHexString()) : null;
  if (!appointment || !managed) throw new AppError('NOT_FOUND', '没有找到这个预约，请返回预约记录再看看。');
  return { appointment: await expireIfDue(context, appointment), patient: managed.patient };
}

/** Waits briefly for a hold with the same requestId that another call is still making. */
async function settled(context: AccountContext, appointment: AppointmentDoc): Promise<AppointmentDoc> {
  const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
  let current = appointment;
  while (current.status === 'holding' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = (await appointmentsOf(context.db).findOne({ _id: appointment._id })) ?? current;
  }
  return current;
}

async function answerReplay(context: AccountContext, replay: AppointmentDoc, patient: PatientDoc, slotId: string): Promise<HoldAnswer> {
  if (!replay.patientId.equals(patient._id) || replay.slotId.toHexString() !== slotId) throw new AppError('CONFLICT');
  return answer(context, await expireIfDue(context, await settled(context, replay)), patient);
}

type HoldAnswer =
  | { outcome: 'booked' | 'pending_payment'; appointment: Awaited<ReturnType<typeof view>>; message: string }
  | { outcome: 'full' | 'not_drawn'; message: string; alternative: Alternative | null }
  | { outcome: 'drawing'; message: string; resultAt: string };

/**
 * A slot released by draw: in the window, counts the attempt, records the person's entry and says when the
 * result comes; after it, resolves the draw if nobody has yet and answers a request that entered with its
 * result (asking again for a result is not a new attempt). Null when the slot is first-come, or the request
 * did not enter (after the window: first-come for what is left).
 */
async function drawStep(context: AccountContext, managed: ManagedPatient, target: SlotContext, requestId: string, count: HoldCounts): Promise<HoldAnswer | null> {
  const rule = drawRuleOf(target.doctor, target.department);
  if (!rule) return null;
  const { slot, rules } = target;
  const window = drawWindow(releaseInstant(slot.date, rules.release, rules.timeZone), rule);
  const message = drawSentence(window, rules.timeZone);
  if (drawPhase(window, context.now) === 'collecting') {
    await count.attempt();
    assertEligible(context, managed.patient, managed.link.role, target, await bookingCounts(context, managed.patient._id, target));
    await enterDraw(context, { slotId: slot._id, patientId: managed.patient._id, requestId, window });
    return { outcome: 'drawing', message, resultAt: window.resultAt.toISOString() };
  }
  const state = await awaitDraw(context, slot._id);
  const entry = state === 'none' ? null : await drawEntryOf(context.db, slot._id, managed.patient._id);
  if (!entry || !entry.requestIds.includes(requestId)) return null;
  await count.resend();
  if (!entry.result) return { outcome: 'drawing', message: '正在抽签，请几秒后再看结果。', resultAt: window.resultAt.toISOString() };
  const booked = await drawnAppointment(context.db, entry.result);
  if (booked) return answer(context, await expireIfDue(context, booked), managed.patient);
  const alternative = await holdCache.alternative(slot._id, () => nextAlternative(context, slot._id));
  const why = entry.result.outcome === 'refused' ? `这次没能为您预约：${entry.result.message}` : '很遗憾，这次抽签没有抽中。';
  return { outcome: 'not_drawn', message: `${why}${fullSentence(alternative)}`, alternative };
}

async function answer(context: AccountContext, appointment: AppointmentDoc, patient: PatientDoc): Promise<HoldAnswer> {
  if (appointment.status === 'failed' || appointment.status === 'holding') {
    const alternative = await holdCache.alternative(appointment.slotId, () => nextAlternative(context, appointment.slotId));
    return { outcome: 'full', message: `${appointment.failure?.message ?? '这个时段的号已经约满了。'}${fullSentence(alternative)}`, alternative };
  }
  const shown = await view(context, appointment, patient);
  return { outcome: appointment.status === 'pending_payment' ? 'pending_payment' : 'booked', appointment: shown, message: shown.message };
}

/**
 * The slot was full when read at most HOLD_CACHE_MS ago: "full" with the alternative, decided without a
 * lease or a write. Nothing is recorded, so the same requestId tried again is decided afresh.
 */
async function answerFull(context: AccountContext, target: SlotContext): Promise<HoldAnswer> {
  const alternative = await holdCache.alternative(target.slot._id, () => nextAlternative(context, target.slot._id));
  return { outcome: 'full', message: `这个时段的号已经约满了。${fullSentence(alternative)}`, alternative };
}

/** A first-come slot that was full when read a moment ago (at most HOLD_CACHE_MS). */
function fullFirstCome(known: { target: SlotContext; at: number } | null): known is { target: SlotContext; at: number } {
  return known !== null && known.target.slot.remaining === 0 && holdCache.isFresh(known.at) && !drawRuleOf(known.target.doctor, known.target.department);
}

const fullSentence = (alternative: Alternative | null) =>
  alternative ? `${alternative.sentence}，要不要看看？` : '近期这位医生和本科室都没有可预约的号了，请过几天放号时再来看看。';

/**
 * A person taps 确认预约, and after a "full" tries once more (another time, another doctor): neither attempt's
 * counters are written; a third by the same account or card in this instance writes all three (rateLimit.ts).
 */
const TAP_AND_RETRY_UNWRITTEN = { deferUpTo: 2 };

/** A hold counts once: as a new attempt (the account's and the card's budgets) or as the same request sent again. */
interface HoldCounts {
  attempt(): Promise<void>;
  resend(): Promise<void>;
}

function holdCounts(context: AccountContext, patient: PatientDoc | null): HoldCounts {
  let counted = false;
  const once = (count: () => Promise<void>) => async () => {
    if (counted) return;
    counted = true;
    await count().catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'RATE_LIMITED') noteThrottled(context);
      throw error;
    });
  };
  return {
    // Several accounts managing one card share the card's budget; a card not read (null) is not counted.
    attempt: once(async () => {
      await enforceRateLimit(context, RATE_RULES.holdPerUser, accountSubject(context.identity), TAP_AND_RETRY_UNWRITTEN);
      if (patient) await enforceRateLimit(context, RATE_RULES.holdPerPatient, patient._id.toHexString(), TAP_AND_RETRY_UNWRITTEN);
    }),
    resend: once(() => enforceRateLimit(context, RATE_RULES.holdResendPerUser, accountSubject(context.identity), TAP_AND_RETRY_UNWRITTEN)),
  };
}

export const bookingActions = {
  hold: defineAction({
    auth: 'account',
    input: z.object({ slotId: id('请选择要预约的时段'), patientId: id('请选择就诊人'), requestId }),
    async run(context, input): Promise<HoldAnswer> {
      const startedAt = Date.now();
      const slotId = parseObjectId(input.slotId);
      // Before the release instant the answer is the same for everyone and costs no store work (X1):
      // it is given before the rate limits count, so polling for the release gains nothing and writes nothing.
      const known = slotId ? await holdCache.slot(slotId, () => loadSlot(context, slotId)).catch(() => null) : null;
      const early = known && bookingRefusal(context, known.target);
      noteRequest(context, { early: early?.code === 'NOT_RELEASED' });
      if (early?.code === 'NOT_RELEASED') throw early;
      // Full a moment ago, first-come: like "not yet released", "full" is the same answer for every card, so the
      // card is not read (X2). Still read, in one query: the request sent again (its answer is its booking) and a
      // place this account already holds on the slot (told why on the normal path, never "full"). Only the account's
      // budget counts here: counting a card id that was not read would let anyone spend a stranger's card budget.
      if (!early && fullFirstCome(known) && parseObjectId(input.patientId)) {
        const { slot } = known.target;
        const own = await appointmentsOf(context.db).findOne(
          { createdBy: context.user._id, $or: [{ requestId: input.requestId }, { date: slot.date, slotId: slot._id, active: true }] },
          { projection: { _id: 1 } },
        );
        if (!own && holdCache.isFresh(known.at)) {
          await holdCounts(context, null).attempt();
          return answerFull(context, known.target);
        }
      }
      // Independent reads at once; used in the order below. The replay lookup reads only the caller's own appointments.
      const [managed, replay] = await Promise.all([
        findManagedPatient(context.db, context.user._id, input.patientId),
        appointmentsOf(context.db).findOne({ createdBy: context.user._id, requestId: input.requestId }),
      ]);
      if (!managed) throw new AppError('NOT_FOUND', '没有找到这位就诊人，请在“我的就诊人”里确认后再预约。');
      const count = holdCounts(context, managed.patient);
      // A request sent again (the phone retrying after a lost answer) gets its answer again: not a new attempt.
      if (replay) {
        await count.resend();
        return answerReplay(context, replay, managed.patient, input.slotId);
      }
      // Refused or unknown slots are attempts too (a script probing slot ids meets the limits as well).
      if (!known || early) await count.attempt();
      if (!slotId) throw new AppError('NOT_FOUND', '没有找到这个号源，请返回医生主页刷新后再选。');
      if (early) throw early;
      // Release by draw (抽签放号): within the window the hold is an entry; after it, entrants get their result.
      const drawn = await drawStep(context, managed, known?.target ?? (await loadSlot(context, slotId)), input.requestId, count);
      if (drawn) return drawn;
      await count.attempt();
      // Judged now, not when looked up: the read must still be younger than the cache age when "full" is said.
      // Here the card was read, so its own refusals (a place with this doctor that day, quotas) come first.
      if (known?.target.slot.remaining === 0 && holdCache.isFresh(known.at)) {
        assertEligible(context, managed.patient, managed.link.role, known.target, await bookingCounts(context, managed.patient._id, known.target));
        return answerFull(context, known.target);
      }
      // Otherwise decide on a read made by this request, under the leases, as every booking is decided.
      let target: SlotContext;
      if (known && known.at >= startedAt) target = known.target;
      else {
        const readAt = Date.now();
        target = await loadSlot(context, slotId);
        holdCache.remember(target, readAt);
      }
      assertBookable(context, target);
      // Count and write under the account's day lease and the patient's lease (parallel taps cannot pass the quotas).
      const { replay: earlier, finished } = await decideUnderLeases(context, managed, target, input.requestId);
      if (!finished) return answerReplay(context, earlier!, managed.patient, input.slotId);
      if (finished.status === 'failed') holdCache.sawFull(target);
      return answer(context, finished, managed.patient);
    },
  }),

  /** Before the tap: for each of the caller's cards, can it book this slot, and if not, why (same rules as `hold`). */
  eligibility: defineAction({
    auth: 'user',
    input: z.object({ slotId: id('请选择要预约的时段') }),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.eligibilityPerUser);
      const slotId = parseObjectId(input.slotId);
      if (!slotId) throw new AppError('NOT_FOUND', '没有找到这个号源，请返回医生主页刷新后再选。');
      return { cards: await cardsEligibility(context, await loadSlot(context, slotId)) };
    },
  }),

  cancel: defineAction({
    auth: 'user',
    input: z.object({ appointmentId: id('请选择要取消的预约') }),
    async run(context, input) {
      const { appointment, patient } = await findOwnAppointment(context, input.appointmentId);
      const cancelled = await cancelAppointment(context, appointment, await rulesOf(context, appointment));
      return { appointment: await view(context, cancelled, patient) };
    },
  }),

  checkIn: defineAction({
    auth: 'user',
    input: z.object({ appointmentId: id('请选择要签到的预约') }),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.checkInPerUser);
      const { appointment, patient } = await findOwnAppointment(context, input.appointmentId);
      const rules = await rulesOf(context, appointment);
      if (appointment.status === 'holding' || appointment.status === 'failed') throw new AppError('ILLEGAL_TRANSITION');
      const verdict = checkSelfCheckIn({ status: appointment.status, slotStart: appointment.start, now: context.now, rules: rules.checkIn, timeZone: rules.timeZone });
      const checkedIn = await checkIn(context, appointment, verdict, 'patient');
      return { appointment: await view(context, checkedIn, patient) };
    },
  }),

  get: defineAction({
    auth: 'user',
    input: z.object({ appointmentId: id('请选择预约') }),
    async run(context, input) {
      const { appointment, patient } = await findOwnAppointment(context, input.appointmentId);
      return { appointment: await view(context, appointment, patient) };
    },
  }),

  list: defineAction({
    auth: 'user',
    input: z.object({}),
    async run(context) {
      const managed = await listManagedPatients(context.db, context.user._id);
      const patients = new Map<string, PatientDoc>(managed.map(({ patient }) => [patient._id.toHexString(), patient]));
      const patientIds: ObjectId[] = managed.map(({ patient }) => patient._id);
      const found = await appointmentsOf(context.db)
        .find({ patientId: { $in: patientIds }, status: { $nin: ['holding', 'failed'] } })
        .sort({ start: -1 })
        .limit(200)
        .toArray();
      const current = await Promise.all(found.map((appointment) => expireIfDue(context, appointment)));
      const payments = await paymentsFor(context.db, current);
      const appointments = await Promise.all(
        current.map((appointment) =>
          view(context, appointment, patients.get(appointment.patientId.toHexString())!, payments.get(appointment._id.toHexString()) ?? null),
        ),
      );
      return { appointments };
    },
  }),

  /** A read-only link to the slip for the family member who takes the patient (valid through the visit window). */
  shareSlip: defineAction({
    auth: 'user',
    input: z.object({ appointmentId: id('请选择要分享的预约') }),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.sharePerUser);
      const { appointment } = await findOwnAppointment(context, input.appointmentId);
      return shareSlip(context, appointment);
    },
  }),

  /** Opens a shared slip; anyone signed in who holds the link may read it, and nothing else. */
  sharedSlip: defineAction({
    auth: 'identity',
    input: z.object({ token: z.string({ error: '链接不完整，请让家人重新分享一次。' }).max(200) }),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.sharedSlipPerUser);
      return { slip: await openSharedSlip(context, input.token) };
    },
  }),
};
