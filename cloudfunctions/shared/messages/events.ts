// The events a patient hears about (N2), each queued as a last step after the state change that caused it:
// the facts for the WeChat template and the sentence for the message center, written the way a nurse would
// say it. Recipients: the account that booked; for a booking or cancellation by a family member, the card's
// owner too (so a proxy is never silent).
import type { ObjectId } from 'mongodb';
import { appointmentsOf, type AppointmentDoc } from '../booking/appointments';
import { catalogCache } from '../catalog/catalogCache';
import { locationName } from '../catalog/locations';
import { preparationFor } from '../catalog/preparation';
import { preparationShortForm } from '../domain/preparationNotes';
import { addDays, dateIn, formatClock, formatMonthDay } from '../domain/releaseRules';
import { lateReminderOwed, visitDayWord, type ReminderTimes } from '../domain/reminderTiming';
import { describeError } from '../log';
import { patientsOf } from '../patients/patientRepository';
import { messageKey, messagesOf, queueMessages, type QueuedMessage, type QueueServices } from './outbox';
import { formatAmount, formatVisitTime, type MessageEvent, type MessageFacts } from './templates';

/** The closing notice goes out this long before an unpaid hold gives its place back. */
export const CLOSING_NOTICE_MS = 3 * 60_000;
const ARRIVE_MINUTES_BEFORE = 10;

export const appointmentPage = (appointmentId: ObjectId) => `pages/booking/result/index?id=${appointmentId.toHexString()}`;

interface Described {
  facts: MessageFacts;
  patient: string;
  /** 12月2日 09:00-09:30 */
  when: string;
  doctor: string;
  department: string;
  place: string;
  /** 就诊须知 in full ('' when the department and doctor have none). */
  preparation: string;
  /** The account that owns the card (null when the card has none, or is gone). */
  ownerUserId: ObjectId | null;
}

async function describe(services: QueueServices, appointment: AppointmentDoc): Promise<Described> {
  const zone = services.config.timeZone;
  const [patient, doctor, departments, place, preparation] = await Promise.all([
    patientsOf(services.db).findOne({ _id: appointment.patientId }, { projection: { name: 1, ownerUserId: 1 } }),
    catalogCache.doctor(services.db, appointment.doctorId),
    catalogCache.departments(services.db),
    locationName(services.db, appointment.locationId),
    preparationFor(services.db, appointment),
  ]);
  const department = departments.find((entry) => entry._id.equals(appointment.departmentId))?.name ?? '门诊';
  const doctorName = doctor ? `${doctor.name}${doctor.title ? ` ${doctor.title}` : ''}` : '出诊医生';
  const start = formatClock(appointment.start, zone);
  const end = formatClock(appointment.end, zone);
  const patientName = patient?.name ?? '就诊人';
  return {
    patient: patientName,
    when: `${formatMonthDay(appointment.date, zone)} ${start}-${end}`,
    doctor: doctor?.name ? `${doctor.name}医生` : '医生',
    department,
    place,
    preparation,
    ownerUserId: patient?.ownerUserId ?? null,
    facts: {
      patient: patientName,
      department,
      doctor: doctorName,
      visitTime: formatVisitTime(appointment.date, start, end),
      place,
      number: appointment.number === null ? '' : String(appointment.number),
      amount: formatAmount(appointment.feeFen),
    },
  };
}

type Build = (about: Described) => { title: string; text: string; facts?: MessageFacts };
/** Who hears it: an account, or one known once the appointment is described (the card's owner). */
type Recipient = ObjectId | null | ((about: Described) => ObjectId | null);

/** The card's owner, when someone else (`actor`) booked or cancelled for them. */
const ownerOtherThan =
  (actor: ObjectId): Recipient =>
  (about) =>
    about.ownerUserId && !about.ownerUserId.equals(actor) ? about.ownerUserId : null;

/**
 * Queues one event for these people (duplicates dropped), with one read of what it is about and one write:
 * the last steps of a booking, so each extra wait is felt. Never throws: the caller's change already happened.
 */
async function queueFor(services: QueueServices, appointment: AppointmentDoc, plan: { event: MessageEvent; userId: Recipient; build: Build; dueAt?: Date }[]): Promise<number> {
  try {
    const about = await describe(services, appointment);
    const messages: QueuedMessage[] = [];
    for (const { event, userId: recipient, build, dueAt } of plan) {
      const userId = typeof recipient === 'function' ? recipient(about) : recipient;
      if (!userId || messages.some((message) => message.event === event && message.userId.equals(userId))) continue;
      const built = build(about);
      messages.push({ event, userId, appointmentId: appointment._id, title: built.title, text: built.text, facts: { ...about.facts, ...built.facts }, page: appointmentPage(appointment._id), dueAt });
    }
    return await queueMessages(services, messages);
  } catch (error) {
    services.log.error('message not queued', { events: plan.map((entry) => entry.event).join(','), ...describeError(error) });
    return 0;
  }
}

const bookedText: Build = (a) => ({
  title: '预约成功',
  text: `${a.patient}的号约好了：${a.when}，${a.department} ${a.doctor}${a.facts.number ? `，第 ${a.facts.number} 号` : ''}。请提前 ${ARRIVE_MINUTES_BEFORE} 分钟到${a.place}候诊，记得带上身份证或医保卡。`,
  facts: { tip: `请提前${ARRIVE_MINUTES_BEFORE}分钟到${a.place}候诊`, status: '预约成功' },
});

const proxyBookedText: Build = (a) => ({
  title: '家人为您预约了',
  text: `您的家人为您预约了 ${a.when} ${a.department} ${a.doctor}的号。请提前 ${ARRIVE_MINUTES_BEFORE} 分钟到${a.place}候诊。`,
  facts: { status: '家人代约', tip: '家人为您预约，请按时就诊' },
});

const proxyCancelledText: Build = (a) => ({
  title: '家人取消了预约',
  text: `您的家人取消了您 ${a.when} ${a.department} ${a.doctor}的预约。如有疑问，可以和家人确认一下。`,
  facts: { status: '家人取消', tip: '如需就诊，请重新预约' },
});

/** Booked: free at the hold, or paid and confirmed by the HIS. The owner of a card booked by family is told too. */
export function queueBookingConfirmed(services: QueueServices, appointment: AppointmentDoc): Promise<number> {
  return queueFor(services, appointment, [
    { event: 'booking_confirmed', userId: appointment.createdBy, build: bookedText },
    { event: 'proxy_booked', userId: ownerOtherThan(appointment.createdBy), build: proxyBookedText },
  ]);
}

/** Unpaid holds whose place goes back within CLOSING_NOTICE_MS: one "please pay" each (none once paid). */
export async function queuePaymentClosing(services: QueueServices): Promise<number> {
  const soon = new Date(services.now.getTime() + CLOSING_NOTICE_MS);
  const holds = await appointmentsOf(services.db).find({ status: 'pending_payment', holdExpiresAt: { $gt: services.now, $lte: soon } }).toArray();
  let queued = 0;
  for (const appointment of holds) {
    queued += await queueFor(services, appointment, [
      {
        event: 'payment_closing',
        userId: appointment.createdBy,
        build: (a) => ({
          title: '请尽快支付挂号费',
          text: `${a.patient}预约的 ${a.when} ${a.department} ${a.doctor}的号还没有支付，3 分钟后号就会释放。还需要的话，请到预约记录里尽快支付。`,
          facts: { tip: '3分钟后号源释放，请尽快支付' },
        }),
      },
    ]);
  }
  return queued;
}

/** A paid appointment ended without a visit (the HIS refused, or the payment came after the hold): the money is on its way back. */
export async function queueRefundUnderway(services: QueueServices, appointmentId: ObjectId, sentence: string): Promise<number> {
  const appointment = await appointmentsOf(services.db).findOne({ _id: appointmentId }).catch(() => null);
  if (!appointment) return 0;
  return queueFor(services, appointment, [
    {
      event: 'refund_underway',
      userId: appointment.createdBy,
      build: (a) => ({ title: '挂号费正在退回', text: `${sentence}${a.facts.amount} 会原路退回，一般 1-3 个工作日到账。`, facts: { status: '退款中', tip: '挂号费原路退回，请留意查收' } }),
    },
  ]);
}

/** WeChat Pay reported the refund done. */
export async function queueRefundCompleted(services: QueueServices, appointmentId: ObjectId): Promise<number> {
  const appointment = await appointmentsOf(services.db).findOne({ _id: appointmentId }).catch(() => null);
  if (!appointment) return 0;
  return queueFor(services, appointment, [
    {
      event: 'refund_completed',
      userId: appointment.createdBy,
      build: (a) => ({ title: '挂号费已退回', text: `${a.patient}的挂号费 ${a.facts.amount} 已经原路退回到您的支付账户，请留意查收。`, facts: { status: '已退款', tip: '已原路退回，请留意查收' } }),
    },
  ]);
}

/** 明天就诊提醒 / 今天就诊提醒 with the 就诊须知 in full; the WeChat notice carries their short form and opens the slip. */
const reminderText =
  (day: string): Build =>
  (a) => ({
    title: `${day}就诊提醒`,
    text: `${day} ${a.when}，${a.patient}在${a.department}看${a.doctor}${a.facts.number ? `，第 ${a.facts.number} 号` : ''}。请提前 ${ARRIVE_MINUTES_BEFORE} 分钟到${a.place}，带上身份证或医保卡${a.preparation ? '。' : '，以前的检查报告也请一起带来。'}${a.preparation ? `\n就诊须知：\n${a.preparation}` : ''}`,
    facts: { tip: preparationShortForm(a.preparation) || '带上身份证或医保卡和以前的检查报告' },
  });

/** Reminders for these booked appointments, as `event`, each once however often this runs. */
async function queueReminders(services: QueueServices, appointments: AppointmentDoc[], event: 'visit_reminder' | 'visit_day_reminder'): Promise<number> {
  let queued = 0;
  for (const appointment of appointments) {
    const day = visitDayWord(appointment.date, services.now, services.config.timeZone);
    queued += await queueFor(services, appointment, [{ event, userId: appointment.createdBy, build: reminderText(day) }]);
  }
  return queued;
}

/** The day-before reminder for every appointment booked on `visitDate` (each once, however often this runs). */
export async function queueDayBeforeReminders(services: QueueServices, visitDate: string): Promise<number> {
  const booked = await appointmentsOf(services.db).find({ date: visitDate, status: 'booked' }).toArray();
  return queueReminders(services, booked, 'visit_reminder');
}

/** The visit-day morning reminder (a hospital's choice, MESSAGE_VISIT_DAY_AT) for today's visits still to come. */
export async function queueVisitDayReminders(services: QueueServices, visitDate: string): Promise<number> {
  const booked = await appointmentsOf(services.db).find({ date: visitDate, status: 'booked', start: { $gt: services.now } }).toArray();
  return queueReminders(services, booked, 'visit_day_reminder');
}

/**
 * Visits confirmed since `since` (read from their booking confirmations) that the day-before run missed
 * (booked after it, for tomorrow or today): their reminder now, unless a visit-day reminder is still to come
 * or already went out. The same key as the day-before run's, so a visit never gets two.
 */
export async function queueLateReminders(services: QueueServices, since: Date, times: ReminderTimes): Promise<number> {
  const zone = services.config.timeZone;
  const confirmations = await messagesOf(services.db)
    .find({ createdAt: { $gte: since }, event: 'booking_confirmed' }, { projection: { appointmentId: 1 } })
    .toArray();
  const ids = confirmations.flatMap((message) => (message.appointmentId ? [message.appointmentId] : []));
  if (!ids.length) return 0;
  const today = dateIn(services.now, zone);
  const booked = await appointmentsOf(services.db)
    .find({ _id: { $in: ids }, status: 'booked', date: { $in: [today, addDays(today, 1)] } })
    .toArray();
  const owed = booked.filter((appointment) => lateReminderOwed(appointment, services.now, times, zone));
  if (!owed.length) return 0;
  const keys = owed.flatMap((appointment) => (['visit_reminder', 'visit_day_reminder'] as const).map((event) => messageKey(event, appointment._id, appointment.createdBy)));
  const reminded = new Set((await messagesOf(services.db).find({ _id: { $in: keys } }, { projection: { appointmentId: 1 } }).toArray()).map((message) => String(message.appointmentId)));
  return queueReminders(services, owed.filter((appointment) => !reminded.has(String(appointment._id))), 'visit_reminder');
}

/** 退号 by the patient or a family member: the one who cancelled is told, and the card's owner if that was someone else. */
export function queueCancelled(services: QueueServices, appointment: AppointmentDoc, cancelledBy: ObjectId, paid: boolean): Promise<number> {
  return queueFor(services, appointment, [
    {
      event: 'cancelled',
      userId: cancelledBy,
      build: (a) => ({
        title: '预约已取消',
        text: `${a.patient} ${a.when} ${a.department} ${a.doctor}的预约已经取消。${paid ? '挂号费会原路退回。' : ''}还需要看病的话，可以随时重新预约。`,
        facts: { status: '已取消', tip: paid ? '挂号费将原路退回' : '如需就诊，请重新预约' },
      }),
    },
    { event: 'proxy_cancelled', userId: ownerOtherThan(cancelledBy), build: proxyCancelledText },
  ]);
}

/**
 * Stop-clinic (for the clinic-day work, A2): call once per affected appointment after it is cancelled; the
 * account that booked hears why and that the money comes back. Idempotent like every event.
 */
/**
 * 停诊 or 替诊, decided by staff (shared/clinicDay/notices.ts): the same words the appointment detail shows,
 * to the account that booked and to the card's owner when that is someone else.
 */
export function queueClinicNotice(
  services: QueueServices,
  appointment: AppointmentDoc,
  notice: { event: 'stop_clinic' | 'doctor_substituted'; text: string },
): Promise<number> {
  const stopped = notice.event === 'stop_clinic';
  const build: Build = () => ({
    title: stopped ? '停诊通知' : '换医生通知',
    text: notice.text,
    facts: stopped ? { status: '停诊', tip: '预约已取消，可在预约详情里改约' } : { status: '换医生', tip: '不想换医生可免费取消' },
  });
  return queueFor(services, appointment, [
    { event: notice.event, userId: appointment.createdBy, build },
    { event: notice.event, userId: (about) => about.ownerUserId, build },
  ]);
}
