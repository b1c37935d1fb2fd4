// Release morning's common answers from memory (X2). Most holds on a hot session are answered "full"
// or "not yet released"; deciding them needs no lease and no write, only the slot as read a moment
// ago. This process keeps each slot it judged (and the alternative it offered for a full one) for at
// most HOLD_CACHE_MS of real time: a place that has been free for longer than that is always seen, and
// a place given back by this process is seen at once (releasePlace drops the entry). Anything else
// (places left, or no fresh entry) takes the normal path, which reads the store and decides under the
// leases exactly as before.
import type { ObjectId } from 'mongodb';
import type { Alternative } from './alternatives';
import type { SlotContext } from './holds';

/** 500 ms by default; HOLD_CACHE_MS=0: every hold reads the slot and "full" is decided under the leases. */
export const HOLD_CACHE_MS = Number(process.env.HOLD_CACHE_MS ?? 500);
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  /** Real time the read started: the answer is at most this old. */
  at: number;
  value: Promise<T>;
}

class ShortCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly owner: { ttlMs: number }) {}

  fresh(key: string): Entry<T> | undefined {
    const hit = this.entries.get(key);
    return hit && Date.now() - hit.at < this.owner.ttlMs ? hit : undefined;
  }

  /** The fresh entry, or a new read shared by every concurrent caller. */
  read(key: string, load: () => Promise<T>): Entry<T> {
    const hit = this.fresh(key);
    if (hit) return hit;
    return this.set(key, load());
  }

  set(key: string, value: Promise<T>, at = Date.now()): Entry<T> {
    if (this.owner.ttlMs <= 0) return { at, value };
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const entry = { at, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

export class HoldCache {
  private readonly slots = new ShortCache<SlotContext>(this);
  private readonly alternatives = new ShortCache<Alternative | null>(this);

  constructor(public ttlMs = HOLD_CACHE_MS) {}

  /** The slot as read at most ttlMs ago (`at`: when that read started), loading it when there is no such read. */
  async slot(slotId: ObjectId, load: () => Promise<SlotContext>): Promise<{ target: SlotContext; at: number }> {
    const entry = this.slots.read(slotId.toHexString(), load);
    return { target: await entry.value, at: entry.at };
  }

  /** A read started at `at` is still young enough to answer from. */
  isFresh(at: number): boolean {
    return Date.now() - at < this.ttlMs;
  }

  /** A fresh read by the normal path (started at `at`) replaces what this process knew. */
  remember(target: SlotContext, at: number): void {
    const key = target.slot._id.toHexString();
    const known = this.slots.fresh(key);
    if (!known || known.at <= at) this.slots.set(key, Promise.resolve(target), at);
  }

  /** The store just refused a claim: the slot is full now. */
  sawFull(target: SlotContext): void {
    this.slots.set(target.slot._id.toHexString(), Promise.resolve({ ...target, slot: { ...target.slot, remaining: 0 } }));
  }

  /** A place was given back in this process: the next hold reads the store. */
  forget(slotId: ObjectId): void {
    this.slots.delete(slotId.toHexString());
    this.alternatives.delete(slotId.toHexString());
  }

  /** The alternative to offer for a full slot, computed at most ttlMs ago. */
  alternative(fullSlotId: ObjectId, load: () => Promise<Alternative | null>): Promise<Alternative | null> {
    return this.alternatives.read(fullSlotId.toHexString(), load).value;
  }

  clear(): void {
    this.slots.clear();
    this.alternatives.clear();
  }
}

/** The process-wide cache (the local host runs every function in one process). */
export const holdCache = new HoldCache();
