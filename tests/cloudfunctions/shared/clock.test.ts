import { createControlledClock, systemClock } from '../../../cloudfunctions/shared/clock';

describe('the business clock', () => {
  it('a frozen clock reads the same instant until set or advanced', async () => {
    const clock = createControlledClock({ at: new Date('2026-12-01T10:00:00Z') });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now().toISOString()).toBe('2026-12-01T10:00:00.000Z');
    clock.advance(8 * 3_600_000);
    expect(clock.now().toISOString()).toBe('2026-12-01T18:00:00.000Z');
    clock.set(new Date('2026-12-24T23:59:59Z'));
    expect(clock.now().toISOString()).toBe('2026-12-24T23:59:59.000Z');
  });

  it('a running clock keeps moving with real time after a jump', async () => {
    const clock = createControlledClock({ running: true });
    clock.set(new Date('2030-01-01T00:00:00Z'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const elapsed = clock.now().getTime() - Date.parse('2030-01-01T00:00:00Z');
    expect(elapsed).toBeGreaterThanOrEqual(20);
    expect(elapsed).toBeLessThan(60_000);
  });

  it('refuses an invalid instant or step and keeps its time', () => {
    const clock = createControlledClock({ at: new Date('2026-12-01T10:00:00Z') });
    expect(() => clock.set(new Date('not a date'))).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(clock.now().toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });

  it('the system clock is the wall clock', () => {
    expect(Math.abs(systemClock.now().getTime() - Date.now())).toBeLessThan(1000);
  });
});
