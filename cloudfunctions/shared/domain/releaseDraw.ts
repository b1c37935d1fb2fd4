// Release by draw (抽签放号, X1): for hot clinics the holds of the first seconds after release are
// collected, and at the window's end the places go to a uniformly random order of the people who
// asked, so arriving at +0 ms buys nothing over +29 s. Pure rules; the store side is booking/draws.ts.
import { randomInt } from 'node:crypto';
import { wallClock } from './zoneTime';

/** Catalog setting on a department or a doctor: `draw: { windowSeconds: 30 }`; absent or null = first-come. */
export interface DrawRule {
  windowSeconds?: number;
}

export const DEFAULT_DRAW_WINDOW_SECONDS = 30;

/** The doctor's setting wins (null there turns the draw off for that doctor), then the clinic's. */
export function drawRuleOf(doctor: { draw?: DrawRule | null }, department: { draw?: DrawRule | null }): { windowSeconds: number } | null {
  const rule = doctor.draw !== undefined ? doctor.draw : department.draw;
  if (!rule) return null;
  const seconds = rule.windowSeconds ?? DEFAULT_DRAW_WINDOW_SECONDS;
  return { windowSeconds: Number.isInteger(seconds) && seconds > 0 ? seconds : DEFAULT_DRAW_WINDOW_SECONDS };
}

export interface DrawWindow {
  opensAt: Date;
  /** First instant after the window: holds from here on are not collected. */
  closesAt: Date;
  /** When the patient is promised the result: one second after the window. */
  resultAt: Date;
}

export function drawWindow(opensAt: Date, rule: { windowSeconds: number }): DrawWindow {
  const closesAt = new Date(opensAt.getTime() + rule.windowSeconds * 1000);
  return { opensAt, closesAt, resultAt: new Date(closesAt.getTime() + 1000) };
}

/** Half-open like every release boundary: collecting on [opensAt, closesAt), decided from closesAt. */
export function drawPhase(window: DrawWindow, now: Date): 'not_released' | 'collecting' | 'closed' {
  if (now.getTime() < window.opensAt.getTime()) return 'not_released';
  return now.getTime() < window.closesAt.getTime() ? 'collecting' : 'closed';
}

function clock(instant: Date, timeZone: string, withSeconds: boolean): string {
  const seconds = String(instant.getUTCSeconds()).padStart(2, '0');
  const time = wallClock(instant, timeZone).time;
  return withSeconds || seconds !== '00' ? `${time}:${seconds}` : time;
}

/** "本号源 07:00-07:00:30 内的预约将随机分配，结果将在 07:00:31 告诉您" */
export function drawSentence(window: DrawWindow, timeZone: string): string {
  return `本号源 ${clock(window.opensAt, timeZone, false)}-${clock(window.closesAt, timeZone, true)} 内的预约将随机分配，结果将在 ${clock(window.resultAt, timeZone, true)} 告诉您`;
}

/** A random number in [0, 1) from the operating system's cryptographic source (production draws). */
export const cryptoRandom = (): number => randomInt(0, 2 ** 48 - 1) / 2 ** 48;

/** A seedable generator (mulberry32) so tests can replay a draw exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates: every order of `items` equally likely when `random` is uniform. Does not change `items`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const order = [...items];
  for (let index = order.length - 1; index > 0; index -= 1) {
    const pick = Math.floor(random() * (index + 1));
    [order[index], order[pick]] = [order[pick], order[index]];
  }
  return order;
}
