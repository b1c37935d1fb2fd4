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

  it('agrees with dayjs at any second of a minute, before 1970 too, and on both sides of a DST change', () => {
    const instants = [
      Date.parse('2026-12-01T10:59:59.999Z'),
      Date.parse('2026-12-01T11:00:00.001Z'),
      Date.parse('1969-12-31T15:59:30.500Z'),
      Date.parse('2026-03-08T06:59:59.999Z'), // New York, the second before spring-forward
      Date.parse('2026-03-08T07:00:00.000Z'),
    ];
    let seed = 11;
    for (let i = 0; i < 500; i++) instants.push(Date.parse('2026-01-01T00:00:00Z') + ((seed = (seed * 48271) % 2147483647) % (730 * 86_400_000)));
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Australia/Lord_Howe']) {
      for (const instant of instants) {
        const expected = dayjs(instant).tz(zone);
        expect(wallClock(instant, zone)).toEqual({ date: expected.format('YYYY-MM-DD'), time: expected.format('HH:mm') });
      }
    }
  });

  it('reads the hospital date, not the UTC date, around midnight', () => {
    expect(wallClock(new Date('2026-11-21T23:00:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-11-22', time: '07:00' });
    expect(wallClockInstant('2026-11-22', '07:00', 'Asia/Shanghai')).toBe(Date.parse('2026-11-21T23:00:00Z'));
  });
});
