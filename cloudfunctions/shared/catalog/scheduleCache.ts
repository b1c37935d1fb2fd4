// Schedule reads under a surge: one doctor's slots for a date range are read from the store at most
// once per TTL per process, and dropped at once when this process changes them. Other processes
// (other cloud function instances) see a change within the TTL, which keeps counts under a second old.
import type { Db, ObjectId } from 'mongodb';
import { calendarDates } from '../domain/releaseRules';
import { schedulesOf, slotsOf } from './collections';
import type { ScheduleDoc, SlotDoc } from './model';

export interface DoctorSchedules {
  schedules: ScheduleDoc[];
  slots: SlotDoc[];
}

interface Entry {
  /** Real time of the read: its freshness is a budget, whatever the business clock says. */
  readAt: number;
  value: Promise<DoctorSchedules>;
  /**
   * What callers built from this read (the patient's grid), true for business instants in [from, until).
   * Requests that started up to a TTL earlier still share it (as they share the read); a clock moved further
   * back (the local /dev/clock) rebuilds it rather than show a later instant's grid.
   */
  views: Map<string, { from: number; until: number; value: unknown }>;
}

/** 500 ms keeps counts under a second old across processes; SCHEDULE_CACHE_TTL_MS=0 turns caching off (for the bench). */
export const SCHEDULE_CACHE_TTL_MS = Number(process.env.SCHEDULE_CACHE_TTL_MS ?? 500);
const MAX_ENTRIES = 5000;

export class ScheduleCache {
  private readonly entries = new Map<string, Entry>();

  /** `realNow` measures the TTL (a fake one in tests); business time comes from each caller's `nowMs`. */
  constructor(
    private readonly ttlMs = SCHEDULE_CACHE_TTL_MS,
    private readonly realNow: () => number = Date.now,
  ) {}

  read(db: Db, doctorId: ObjectId, from: string, to: string): Promise<DoctorSchedules> {
    return this.entry(db, doctorId, from, to).value;
  }

  /**
   * A view built from the read, shared by every request until the read expires or `build` says
   * the view itself stops being true (e.g. the next release or booking-close instant).
   */
  async view<T>(db: Db, doctorId: ObjectId, range: { from: string; to: string }, viewKey: string, nowMs: number, build: (data: DoctorSchedules) => { value: T; validUntil: number }): Promise<T> {
    const entry = this.entry(db, doctorId, range.from, range.to);
    const data = await entry.value;
    const hit = entry.views.get(viewKey);
    if (hit && hit.from - this.ttlMs <= nowMs && nowMs < hit.until) return hit.value as T;
    const built = build(data);
    entry.views.set(viewKey, { from: nowMs, until: built.validUntil, value: built.value });
    return built.value;
  }

  private entry(db: Db, doctorId: ObjectId, from: string, to: string): Entry {
    const key = `${doctorId.toHexString()}|${from}|${to}`;
    const hit = this.entries.get(key);
    const realNow = this.realNow();
    if (hit && realNow - hit.readAt < this.ttlMs && realNow >= hit.readAt) return hit;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    // Concurrent readers share the one read in flight instead of each hitting the store.
    const entry: Entry = { readAt: realNow, value: loadDoctorSchedules(db, doctorId, from, to), views: new Map() };
    this.entries.set(key, entry);
    entry.value.catch(() => this.entries.delete(key));
    return entry;
  }

  invalidateDoctor(doctorId: ObjectId): void {
    const prefix = `${doctorId.toHexString()}|`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * A doctor's sessions or slots from `from` to `to`: the window's dates by equality, served by the
 * {doctorId, date, period} and {doctorId, date} indexes on any store, never the doctor's whole history.
 */
export const doctorWindow = (doctorId: ObjectId, from: string, to: string) => ({ doctorId, date: { $in: calendarDates(from, to) } });

export async function loadDoctorSchedules(db: Db, doctorId: ObjectId, from: string, to: string): Promise<DoctorSchedules> {
  const filter = doctorWindow(doctorId, from, to);
  const [schedules, slots] = await Promise.all([
    schedulesOf(db).find(filter).sort({ date: 1 }).toArray(),
    slotsOf(db).find(filter).sort({ start: 1 }).toArray(),
  ]);
  return { schedules, slots };
}

/** The process-wide cache shared by every function in this process (the local host runs them all in one). */
export const scheduleCache = new ScheduleCache();
