// Signs that an account is driven by a script rather than a person (X1), and how suspicious a set of
// counts is. Pure rules: the counting is shared/scriptingSigns.ts, the staff list admin.scriptingSigns.
import type { Relation } from './patientSchemas';

/** Two requests (holds or schedule reads) by one account closer than this are a repeat no thumb makes. */
export const SUB_SECOND_MS = 1000;

/**
 * From what a person does: the booking button only appears at the release instant, so a person taps
 * early at most once or twice (a page opened a moment before, a slow phone clock); an open doctor page
 * refreshes every 2 s at most, so sub-second repeats are a double tap now and then; a person meets a
 * rate limit never; a family holds the cards of its own, a scalper those of strangers.
 */
export const SIGN_THRESHOLDS = { early: 3, subSecond: 5, throttled: 1, strangerCards: 3 } as const;

export interface SignCounts {
  /** Holds tried before the slot's release instant. */
  early: number;
  /** Requests less than SUB_SECOND_MS after the account's previous one. */
  subSecond: number;
  /** Requests refused by a rate limit. */
  throttled: number;
  /** Cards on the account that belong to neither the holder nor the holder's family (strangerCards). */
  strangerCards: number;
}

/** Each count over its threshold, summed: 1 = one sign just reached, ordering the staff list. 0 = a person. */
export function suspicionScore(counts: SignCounts): number {
  let score = 0;
  for (const sign of Object.keys(SIGN_THRESHOLDS) as (keyof SignCounts)[]) {
    const ratio = counts[sign] / SIGN_THRESHOLDS[sign];
    if (ratio >= 1) score += ratio;
  }
  return Math.round(score * 100) / 100;
}

/** The signs that reached their threshold, for the staff list. */
export function signsReached(counts: SignCounts): (keyof SignCounts)[] {
  return (Object.keys(SIGN_THRESHOLDS) as (keyof SignCounts)[]).filter((sign) => counts[sign] >= SIGN_THRESHOLDS[sign]);
}

/** Two-character surnames common enough to matter (the rest of China's surnames are one character). */
const COMPOUND_SURNAMES = new Set(['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐', '端木', '独孤', '南宫', '西门', '万俟']);

/** 张秀英 -> 张, 欧阳娜娜 -> 欧阳, 阿依古丽·买买提 -> 阿依古丽, John Smith -> smith. */
export function surnameOf(name: string): string {
  const trimmed = name.trim();
  if (/\p{Script=Han}/u.test(trimmed)) {
    const first = trimmed.split('\u00B7')[0];
    const chars = Array.from(first);
    if (trimmed.includes('\u00B7')) return first;
    return COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? chars.slice(0, 2).join('') : (chars[0] ?? '');
  }
  const words = trimmed.split(/\s+/).filter(Boolean);
  return (words[words.length - 1] ?? '').toLowerCase();
}

export interface HeldCard {
  name: string;
  /** What the account said the person is to it when binding. */
  relation: Relation;
}

const MAX_PARENTS = 2;
const MAX_SPOUSES = 1;

/**
 * How many of an account's cards belong to strangers: a card bound as 'other'; parents and spouses
 * beyond what a family has; a child or sibling whose surname is none of the family's (the holder's,
 * the spouse's, the parents'; without any of these, the most common surname on the account).
 * Parents and spouses within those numbers never count, whatever their surname (wives keep theirs).
 */
export function strangerCards(cards: readonly HeldCard[]): number {
  let strangers = 0;
  const family = new Set<string>();
  let parents = 0;
  let spouses = 0;
  for (const card of cards) {
    if (card.relation === 'self') family.add(surnameOf(card.name));
    else if (card.relation === 'parent' && ++parents <= MAX_PARENTS) family.add(surnameOf(card.name));
    else if (card.relation === 'spouse' && ++spouses <= MAX_SPOUSES) family.add(surnameOf(card.name));
  }
  strangers += Math.max(0, parents - MAX_PARENTS) + Math.max(0, spouses - MAX_SPOUSES);
  const kin = cards.filter((card) => card.relation === 'child' || card.relation === 'sibling');
  if (family.size === 0 && kin.length > 0) family.add(mostCommon(kin.map((card) => surnameOf(card.name))));
  strangers += kin.filter((card) => !family.has(surnameOf(card.name))).length;
  strangers += cards.filter((card) => card.relation === 'other').length;
  return strangers;
}

/**
 * Whether the names on these cards can change `strangerCards`: only a child or sibling beside another card
 * (alone, it is its own family). Counting reads names for such accounts only (most hold a card or two).
 */
export function namesMatter(relations: readonly HeldCard['relation'][]): boolean {
  return relations.length > 1 && relations.some((relation) => relation === 'child' || relation === 'sibling');
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

/** `oAbCdEfGhIjKlMn` -> `oAbC*******lMn`: staff can tell accounts apart and quote one, not reuse it. */
export function maskAccount(openid: string): string {
  const chars = Array.from(openid);
  if (chars.length <= 8) return `${chars.slice(0, 1).join('')}${'*'.repeat(Math.max(0, chars.length - 1))}`;
  return `${chars.slice(0, 4).join('')}${'*'.repeat(chars.length - 7)}${chars.slice(-3).join('')}`;
}
