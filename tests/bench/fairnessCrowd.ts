// The people of `npm run bench:fairness`: humans who arrive, read and tap at a person's pace, and scripts
// that poll from minutes before the release and fire every 50 ms from several accounts. Time is the
// host's business clock, frozen and moved tick by tick (POST /dev/clock): each tick's requests are sent
// together and answered before the clock moves on, so a 6-minute release runs as fast as the host answers.
import http from 'node:http';
import { newRequestId } from '../support/booking';
import { post } from './httpLoad';

export const TICK_MS = 50;

export interface Clinic {
  label: string;
  doctorId: string;
  date: string;
  opensAt: Date;
  /** When a draw clinic promises the result (absent: first-come). */
  resultAt?: Date;
}

export interface Human {
  openid: string;
  patientId: string;
  /** Slowest answer this person waited for, real milliseconds. */
  slowestMs: number;
  /** How long the first tap's answer took (booked, full, or "drawing" with the result time). */
  tapMs?: number;
  throttled: boolean;
  taps: number;
  /** Draw clinic: the result was there at the first look at the promised instant. */
  resultOnTime?: boolean;
  last?: string;
}

export interface Script {
  accounts: string[];
  clients: string[];
  intervalMs: number;
  sent: number;
  /** Requests the host refused with RATE_LIMITED. */
  throttled: number;
  /** Requests due while a refusal's wait ran (refused from memory had they been sent; not sent). */
  refusedUnsent: number;
  won: Set<string>;
  /** Draw clinic: a request of each client that entered the draw, re-sent after the result time to read it. */
  entered: Map<string, string>;
}

type Answer = { ok: true; data: Record<string, unknown> } | { ok: false; code: string; message: string };

/** A frozen business clock moved tick by tick; work scheduled for a tick runs together once the clock is there. */
export class Simulation {
  private readonly ticks = new Map<number, (() => Promise<void>)[]>();
  /** Real milliseconds to stand at a tick once its work is sent (see `pauseAt`). */
  private readonly pauses = new Map<number, number>();
  private current = -Infinity;
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  requests = 0;

  constructor(
    private readonly hostUrl: string,
    readonly clinic: Clinic,
  ) {}

  /** Milliseconds since the release, at the current tick. */
  get now(): number {
    return this.current;
  }

  /** Runs `work` at `ms` after the release (rounded up to a tick; never the current or an earlier one). */
  at(ms: number, work: () => Promise<void>): void {
    let tick = Math.ceil(ms / TICK_MS) * TICK_MS;
    if (tick <= this.current) tick = this.current + TICK_MS;
    const list = this.ticks.get(tick);
    if (list) list.push(work);
    else this.ticks.set(tick, [work]);
  }

  /**
   * Stands still for `realMs` of real time at `ms`: a draw's window ends, and the host's tick job (every real
   * second) resolves it in the second before the promised result, as it would on a clock that runs.
   */
  pauseAt(ms: number, realMs: number): void {
    this.pauses.set(Math.ceil(ms / TICK_MS) * TICK_MS, realMs);
    this.at(ms, async () => undefined);
  }

  async run(fromMs: number, untilMs: number): Promise<void> {
    for (let tick = Math.ceil(fromMs / TICK_MS) * TICK_MS; tick <= untilMs; tick += TICK_MS) {
      const work = this.ticks.get(tick);
      if (!work) continue;
      this.ticks.delete(tick);
      this.current = tick;
      await this.setClock(new Date(this.clinic.opensAt.getTime() + tick));
      await Promise.all(work.map((run) => run()));
      const pause = this.pauses.get(tick);
      if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
    }
    this.agent.destroy();
  }

  /** POST with one more try when the host closed an idle keep-alive socket just as it was reused (ECONNRESET). */
  private async send(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
    try {
      return await post(this.agent, new URL(`${this.hostUrl}${path}`), body, headers);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
      return post(this.agent, new URL(`${this.hostUrl}${path}`), body, headers);
    }
  }

  private async setClock(at: Date): Promise<void> {
    const { status } = await this.send('/dev/clock', JSON.stringify({ at: at.toISOString() }), {});
    if (status !== 200) throw new Error(`the host refused to move its clock (${status})`);
  }

  /** One call of a cloud function as `openid`, with its real latency. */
  async call(openid: string, area: 'booking' | 'catalog', event: Record<string, unknown>): Promise<{ answer: Answer; ms: number }> {
    this.requests += 1;
    const started = performance.now();
    const { text } = await this.send(`/api/${area}`, JSON.stringify(event), { 'x-dev-openid': openid });
    return { answer: JSON.parse(text) as Answer, ms: performance.now() - started };
  }

  /** The clinic's slots on its page now, and those a person could book. */
  async page(openid: string, onAnswer: (answer: Answer, ms: number) => void): Promise<{ all: string[]; bookable: string[] }> {
    const { answer, ms } = await this.call(openid, 'catalog', { action: 'schedules', doctorId: this.clinic.doctorId, from: this.clinic.date, to: this.clinic.date });
    onAnswer(answer, ms);
    if (!answer.ok) return { all: [], bookable: [] };
    const days = answer.data.days as { periods: { slots: { id: string; bookable: boolean }[] }[] }[];
    const slots = days.flatMap((day) => day.periods.flatMap((period) => period.slots));
    return { all: slots.map((slot) => slot.id), bookable: slots.filter((slot) => slot.bookable).map((slot) => slot.id) };
  }
}

const pick = <T>(items: T[], random: () => number): T => items[Math.floor(random() * items.length)];
/** A person takes 2-5 s to read a page and tap. */
const readingMs = (random: () => number) => 2000 + random() * 3000;

/** A person: opens the doctor's page at `arriveMs`, taps a bookable slot after reading, tries once more after a "full". */
export function addHuman(sim: Simulation, human: Human, arriveMs: number, random: () => number): void {
  const note = (answer: Answer, ms: number) => {
    human.slowestMs = Math.max(human.slowestMs, ms);
    if (!answer.ok && answer.code === 'RATE_LIMITED') human.throttled = true;
  };
  const look = async (retry: boolean) => {
    const slots = (await sim.page(human.openid, note)).bookable;
    if (slots.length === 0) {
      human.last = 'saw no place left';
      return;
    }
    const slotId = pick(slots, random);
    sim.at(sim.now + readingMs(random), () => tap(slotId, retry));
  };
  const tap = async (slotId: string, retried: boolean) => {
    const requestId = newRequestId();
    const { answer, ms } = await sim.call(human.openid, 'booking', { action: 'hold', slotId, patientId: human.patientId, requestId });
    note(answer, ms);
    human.tapMs ??= ms;
    human.taps += 1;
    const outcome = answer.ok ? String(answer.data.outcome) : answer.code;
    human.last = outcome;
    if (outcome === 'drawing' && sim.clinic.resultAt) {
      sim.at(sim.clinic.resultAt.getTime() - sim.clinic.opensAt.getTime(), () => readResult(slotId, requestId, true));
    } else if ((outcome === 'full' || outcome === 'not_drawn') && !retried) {
      sim.at(sim.now + readingMs(random), () => look(true));
    }
  };
  const readResult = async (slotId: string, requestId: string, first: boolean) => {
    const { answer, ms } = await sim.call(human.openid, 'booking', { action: 'hold', slotId, patientId: human.patientId, requestId });
    note(answer, ms);
    const outcome = answer.ok ? String(answer.data.outcome) : answer.code;
    human.last = outcome;
    if (first) human.resultOnTime = outcome !== 'drawing';
    if (outcome === 'drawing') sim.at(sim.now + 1000, () => readResult(slotId, requestId, false));
    else if (outcome === 'not_drawn') sim.at(sim.now + readingMs(random), () => look(true));
  };
  sim.at(arriveMs, () => look(false));
}

/** "请 30 秒后再试" / "请 2 分钟后再看" -> milliseconds. */
function waitOf(message: string): number {
  const match = /(\d+)\s*(秒|分钟)/.exec(message);
  return match ? Number(match[1]) * (match[2] === '秒' ? 1000 : 60_000) : 60_000;
}

/**
 * A grabbing script: polls the schedule every `intervalMs` from `earlyMs` before the release, rotating its
 * accounts; from the release instant fires a hold every 50 ms, rotating clients and accounts, until each
 * client has a place or `untilMs`. On a draw clinic it reads each client's result after the result time.
 * What the host refused with a wait (an account's polls, a card's holds) is refused from memory until the
 * wait ends whatever is sent: those requests are counted as refused and not sent, so the simulation spends
 * its time on requests that can change an outcome.
 */
export function addScript(sim: Simulation, script: Script, earlyMs: number, untilMs: number): void {
  const account = () => script.accounts[script.sent++ % script.accounts.length];
  const blockedUntil = new Map<string, number>();
  const blocked = (key: string) => {
    if ((blockedUntil.get(key) ?? -Infinity) <= sim.now) return false;
    script.refusedUnsent += 1;
    return true;
  };
  let slots: string[] = [];
  const countRefusal = (key: string) => (answer: Answer) => {
    if (answer.ok || answer.code !== 'RATE_LIMITED') return;
    script.throttled += 1;
    blockedUntil.set(key, sim.now + waitOf(answer.message));
  };
  const poll = async () => {
    const from = account();
    if (!blocked(`poll:${from}`)) {
      const page = await sim.page(from, countRefusal(`poll:${from}`));
      if (page.all.length > 0) slots = page.all;
    }
    if (sim.now + script.intervalMs < 0) sim.at(sim.now + script.intervalMs, poll);
  };
  let turn = 0;
  const fire = async () => {
    const waiting = script.clients.filter((client) => !script.won.has(client));
    if (waiting.length === 0 || sim.now > untilMs) return;
    if (slots.length === 0) {
      const from = account();
      slots = (await sim.page(from, countRefusal(`poll:${from}`))).all;
    }
    const client = waiting[turn++ % waiting.length];
    const resultTime = sim.clinic.resultAt && sim.now >= sim.clinic.resultAt.getTime() - sim.clinic.opensAt.getTime();
    const requestId = (resultTime && script.entered.get(client)) || newRequestId();
    const slotId = slots.length > 0 ? slots[turn % slots.length] : undefined;
    if (slotId && !blocked(`hold:${client}`)) {
      const { answer } = await sim.call(account(), 'booking', { action: 'hold', slotId, patientId: client, requestId });
      const outcome = answer.ok ? String(answer.data.outcome) : answer.code;
      if (outcome === 'booked' || outcome === 'pending_payment') script.won.add(client);
      else if (outcome === 'not_drawn') script.entered.delete(client);
      else if (outcome === 'drawing' && !script.entered.has(client)) script.entered.set(client, requestId);
      countRefusal(`hold:${client}`)(answer);
    }
    sim.at(sim.now + TICK_MS, fire);
  };
  sim.at(-earlyMs, poll);
  sim.at(0, fire);
}
