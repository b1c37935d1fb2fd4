import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { wallClock, wallClockInstant } from '../../../../cloudfunctions/shared/domain/zoneTime';

dayjs.extend(utc);
dayjs.extend(timezone);

describe('zone clock', () => {
  it('agrees with dayjs’ timezone plugin on 2,000 wall times across zones with and without DST', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 2000; i++) {
      const zone = zones[i % zones.length];
      const day = dayjs.utc('2026-01-01').add(random(730), 'day').format('YYYY-MM-DD');
      const time = `${String(random(24)).padStart(2, '0')}:${String(random(60)).padStart(2, '0')}`;
      const instant = wallClockInstant(day, time, zone);
      const expected = dayjs.tz(`${day} ${time}`, zone);
      // Skipped wall times (the spring-forward gap) have no instant; both must land after the gap.
      if (expected.format('HH:mm') === time) expect(new Date(instant).toISOString()).toBe(expected.toISOString());
      expect(wallClock(expected.toDate(), zone)).toEqual({ date: expected.format('YYYY-MM-DD'), time: expected.format('HH:mm') });
    }
  });

  it('reads the hospital date, not the UTC date, around midnight', () => {
    expect(wallClock(new Date('2026-11-21T23:00:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-11-22', time: '07:00' });
    expect(wallClockInstant('2026-11-22', '07:00', 'Asia/Shanghai')).toBe(Date.parse('2026-11-21T23:00:00Z'));
  });
});
