// When a timed job is due (pure). Each cloud function has one frequent timer (WeChat cloud allows
// one trigger per function); the jobs it owns keep their own schedules, and a tick runs every job
// whose latest due instant has not been run yet, so a missed 10:30 runs at the next tick.
import { addDays, dateIn, zonedInstant } from './releaseRules';

export type JobSchedule =
  /** Every `everyMs` milliseconds, on multiples of it since the epoch. */
  | { everyMs: number }
  /** Once a day at HH:mm in the hospital's zone. */
  | { dailyAt: string };

/** The latest instant at or before `now` at which the job was due. */
export function latestDue(schedule: JobSchedule, now: Date, timeZone: string): Date {
  if ('everyMs' in schedule) return new Date(Math.floor(now.getTime() / schedule.everyMs) * schedule.everyMs);
  const today = dateIn(now, timeZone);
  const todayAt = zonedInstant(today, schedule.dailyAt, timeZone);
  return todayAt <= now ? todayAt : zonedInstant(addDays(today, -1), schedule.dailyAt, timeZone);
}

/** After a failed run: wait 1, 2, 4 ... minutes (at most an hour) before trying again. */
export function retryDelayMs(failures: number): number {
  return Math.min(60, 2 ** Math.max(0, failures - 1)) * 60_000;
}
