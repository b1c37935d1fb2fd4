// First start on an empty store: the demo hospital, then 14 days of schedules (idempotent on every start).
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { SCHEDULE_DAYS_AHEAD } from '../admin';
import { ensureCatalogIndexes } from '../shared/catalog/catalogIndexes';
import { generateSchedules } from '../shared/catalog/generateSchedules';
import { seedDemoHospital } from '../shared/catalog/seedDemoHospital';
import type { Runtime } from '../shared/runtime';

dayjs.extend(utc);
dayjs.extend(timezone);

export async function seedDemo(runtime: Runtime, now = runtime.clock.now()): Promise<string> {
  await ensureCatalogIndexes(runtime.db);
  const seeded = await seedDemoHospital(runtime.db, { now });
  const today = dayjs(now).tz(runtime.config.timeZone);
  const report = await generateSchedules(runtime.db, {
    from: today.format('YYYY-MM-DD'),
    to: today.add(SCHEDULE_DAYS_AHEAD - 1, 'day').format('YYYY-MM-DD'),
    timeZone: runtime.config.timeZone,
    now,
  });
  const what = seeded.created ? `demo hospital created (${seeded.departments} departments, ${seeded.doctors} doctors)` : 'demo hospital present';
  return `${what}; schedules for ${SCHEDULE_DAYS_AHEAD} days: ${report.created} new, ${report.unchanged} unchanged`;
}
