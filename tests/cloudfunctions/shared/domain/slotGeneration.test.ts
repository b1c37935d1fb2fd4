import { datesInRange, generateSlots, isoWeekday, templatesForDate, type SessionTemplate } from '../../../../cloudfunctions/shared/domain/slotGeneration';

const ZONE = 'Asia/Shanghai';
const session = (overrides: Partial<SessionTemplate> = {}): SessionTemplate => ({
  period: 'morning',
  startTime: '08:00',
  endTime: '10:00',
  slotMinutes: 30,
  placesPerSlot: 5,
  ...overrides,
});
const windows = (template: SessionTemplate, date = '2026-11-29') =>
  generateSlots({ template, date, timeZone: ZONE }).map((slot) => `${slot.start.toISOString().slice(11, 16)}-${slot.end.toISOString().slice(11, 16)}#${slot.firstNumber}x${slot.capacity}`);

describe('generateSlots', () => {
  it('cuts a morning into half-hour windows numbered across the session (times in UTC)', () => {
    expect(windows(session())).toEqual(['00:00-00:30#1x5', '00:30-01:00#6x5', '01:00-01:30#11x5', '01:30-02:00#16x5']);
  });

  it('keeps a shorter last window with its full places', () => {
    expect(windows(session({ endTime: '09:10', slotMinutes: 30, placesPerSlot: 2 }))).toEqual(['00:00-00:30#1x2', '00:30-01:00#3x2', '01:00-01:10#5x2']);
  });

  it('lets an evening session run past midnight, still on the evening’s date', () => {
    const slots = generateSlots({ template: session({ period: 'evening', startTime: '23:00', endTime: '00:30', slotMinutes: 30 }), date: '2026-11-29', timeZone: ZONE });
    expect(slots.map((slot) => slot.start.toISOString())).toEqual(['2026-11-29T15:00:00.000Z', '2026-11-29T15:30:00.000Z', '2026-11-29T16:00:00.000Z']);
    expect(slots.at(-1)!.end.toISOString()).toBe('2026-11-29T16:30:00.000Z');
  });

  it.each<[string, Partial<SessionTemplate>]>([
    ['slots longer than 30 minutes', { slotMinutes: 31 }],
    ['zero-minute slots', { slotMinutes: 0 }],
    ['fractional minutes', { slotMinutes: 7.5 }],
    ['no places', { placesPerSlot: 0 }],
    ['an empty session', { startTime: '08:00', endTime: '08:00' }],
    ['a morning ending before it starts', { startTime: '11:00', endTime: '08:00' }],
  ])('refuses %s', (_what, overrides) => {
    expect(() => generateSlots({ template: session(overrides), date: '2026-11-29', timeZone: ZONE })).toThrow(RangeError);
  });
});

describe('dates and weekdays', () => {
  it('lists a range across a month and a year end, both ends included', () => {
    expect(datesInRange('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(datesInRange('2026-12-02', '2026-12-01')).toEqual([]);
  });

  it.each([
    ['2026-11-23', 1],
    ['2026-11-29', 7],
    ['2028-02-29', 2],
  ])('%s is ISO weekday %d', (date, weekday) => {
    expect(isoWeekday(date)).toBe(weekday);
  });

  it('picks the templates of the date’s weekday', () => {
    const templates = [{ weekday: 1, id: 'mon' }, { weekday: 7, id: 'sun' }, { weekday: 1, id: 'mon-pm' }];
    expect(templatesForDate(templates, '2026-11-23', ZONE).map((template) => template.id)).toEqual(['mon', 'mon-pm']);
  });
});
