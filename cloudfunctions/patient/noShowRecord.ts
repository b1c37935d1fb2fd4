// A card's own 爽约 record (A3) as the people who manage it see it: the no-shows that count or were waived,
// and the restriction they cause with the same sentence a refused booking gives. Empty for a clean card.
import type { ObjectId } from 'mongodb';
import { appointmentsOf } from '../shared/booking/appointments';
import { catalogCache } from '../shared/catalog/catalogCache';
import { penaltyOf } from '../shared/clinicDay/noShows';
import { visitWhen } from '../shared/clinicDay/stopAppointment';
import type { UserContext } from '../shared/context';
import { addDays, dateIn } from '../shared/domain/releaseRules';

export interface NoShowEntryView {
  appointmentId: string;
  /** 'YYYY-MM-DD', hospital time. */
  date: string;
  /** "12月3日 上午 08:00-08:30" */
  when: string;
  departmentName: string;
  doctorName: string;
  waived: boolean;
  /** "未按时就诊" or "已由医院免除，不影响预约" */
  label: string;
}

export interface NoShowRecordView {
  noShows: NoShowEntryView[];
  noShowsThisYear: number;
  /** Null while online booking is open for this person. */
  restriction: { reopensOn: string; message: string } | null;
}

/** The same two years the penalty looks back over; more entries than this is a matter for the counter. */
const LOOK_BACK_DAYS = 731;
const MAX_ENTRIES = 20;

export async function noShowRecord(context: UserContext, patientId: ObjectId): Promise<NoShowRecordView> {
  const hospital = await catalogCache.hospital(context.db);
  const timeZone = hospital?.timeZone ?? context.config.timeZone;
  const today = dateIn(context.now, timeZone);
  const found = await appointmentsOf(context.db)
    .find({ patientId, status: 'no_show', date: { $gte: addDays(today, -LOOK_BACK_DAYS) } })
    .sort({ date: -1, start: -1 })
    .limit(MAX_ENTRIES)
    .toArray();
  const departments = new Map((await catalogCache.departments(context.db)).map((department) => [department._id.toHexString(), department.name]));
  const noShows = await Promise.all(
    found.map(async (appointment): Promise<NoShowEntryView> => ({
      appointmentId: appointment._id.toHexString(),
      date: appointment.date,
      when: visitWhen(appointment, timeZone),
      departmentName: departments.get(appointment.departmentId.toHexString()) ?? '',
      doctorName: (await catalogCache.doctor(context.db, appointment.doctorId))?.name ?? '',
      waived: Boolean(appointment.noShowWaiver),
      label: appointment.noShowWaiver ? '已由医院免除，不影响预约' : '未按时就诊',
    })),
  );
  const penalty = await penaltyOf(context, patientId);
  return {
    noShows,
    noShowsThisYear: penalty.noShowsThisYear,
    restriction: penalty.restricted ? { reopensOn: penalty.reopensOn, message: penalty.message } : null,
  };
}
