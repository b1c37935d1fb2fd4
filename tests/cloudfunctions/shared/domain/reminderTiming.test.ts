/** When a visit's reminders go out: the day-before instant, late bookings, the optional visit-day morning reminder. */
import { zonedInstant } from '../../../../cloudfunctions/shared/domain/releaseRules';
import { dayBeforeReminderAt, lateReminderOwed, visitDayWord, type ReminderTimes } from '../../../../cloudfunctions/shared/domain/reminderTiming';

const ZONE = 'Asia/Shanghai';
const at = (date: string, time: string) => zonedInstant(date, time, ZONE);
const DEFAULT: ReminderTimes = { dayBeforeAt: '18:00', visitDayAt: null };
const MORNING: ReminderTimes = { dayBeforeAt: '18:00', visitDayAt: '07:00' };
const visit = (time: string) => ({ date: '2026-12-02', start: at('2026-12-02', time) });

describe('lateReminderOwed', () => {
  it.each([
    ['booked 17:59 the day before: the 18:00 run will serve it', DEFAULT, visit('09:00'), at('2026-12-01', '17:59'), false],
    ['at 18:00 exactly the day before', DEFAULT, visit('09:00'), at('2026-12-01', '18:00'), true],
    ['booked 22:30 the day before', DEFAULT, visit('09:00'), at('2026-12-01', '22:30'), true],
    ['booked on the day, before the visit', DEFAULT, visit('15:00'), at('2026-12-02', '10:00'), true],
    ['the minute before the visit starts', DEFAULT, visit('15:00'), at('2026-12-02', '14:59'), true],
    ['the visit has begun', DEFAULT, visit('15:00'), at('2026-12-02', '15:00'), false],
    ['two days ahead', DEFAULT, { date: '2026-12-03', start: at('2026-12-03', '09:00') }, at('2026-12-01', '20:00'), false],
    ['morning reminder on: booked 22:30 the day before waits for 07:00', MORNING, visit('09:00'), at('2026-12-01', '22:30'), false],
    ['morning reminder on: 06:59 still waits', MORNING, visit('09:00'), at('2026-12-02', '06:59'), false],
    ['morning reminder on: booked at 07:00 or after, now', MORNING, visit('09:00'), at('2026-12-02', '07:00'), true],
    ['morning reminder on, but the visit starts before it (06:30)', MORNING, visit('06:30'), at('2026-12-01', '22:30'), true],
    ['a 20:00 day-before hour', { dayBeforeAt: '20:00', visitDayAt: null }, visit('09:00'), at('2026-12-01', '19:59'), false],
  ])('%s', (_name, times, appointment, now, expected) => {
    expect(lateReminderOwed(appointment, now, times, ZONE)).toBe(expected);
  });

  it('the day-before instant is hospital time across a month end', () => {
    expect(dayBeforeReminderAt('2026-12-01', DEFAULT, ZONE).toISOString()).toBe('2026-11-30T10:00:00.000Z');
  });

  it.each([
    ['2026-12-02', at('2026-12-02', '00:00'), '今天'],
    ['2026-12-02', at('2026-12-01', '23:59'), '明天'],
    ['2026-12-03', at('2026-12-01', '18:00'), '12月3日'],
  ])('visitDayWord(%s)', (date, now, word) => {
    expect(visitDayWord(date, now, ZONE)).toBe(word);
  });
});
