// Department search (C1): pinyin keys of a name, and a ranked match that accepts what patients type —
// Chinese ("心内"), pinyin initials ("xnk") or full pinyin ("xinnei").
import { pinyin } from 'pinyin-pro';

export interface PinyinKeys {
  /** Lower-case first letters ("xxgnk"); a run of Latin letters or digits in the name is kept whole. */
  initials: string;
  /** Lower-case full pinyin without tones or spaces, ü written as v ("xinxueguanneike"). */
  pinyin: string;
}

export interface SearchableDepartment {
  name: string;
  initials: string;
  pinyin: string;
  /** Other names patients use for the department; when absent, the built-in short names apply. */
  aliases?: readonly string[];
}

/**
 * Short names patients and staff use for clinics whose official name is longer. DepartmentDoc has no
 * aliases field, so these are keyed by the official name; a hospital naming its clinics differently
 * would need `aliases` on the document instead.
 */
export const DEPARTMENT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  心血管内科: ['心内科'],
  消化内科: ['消化科'],
  呼吸内科: ['呼吸科'],
  普通外科: ['普外科'],
  耳鼻喉科: ['耳鼻咽喉科'],
  口腔科: ['牙科'],
};

const keep = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

export function pinyinOf(name: string): PinyinKeys {
  // NFKC first so that full-width letters and digits typed with a Chinese IME count as ASCII.
  const characters = pinyin(name.normalize('NFKC'), { type: 'all', toneType: 'none', v: true, nonZh: 'consecutive' });
  let initials = '';
  let full = '';
  for (const character of characters) {
    // pinyin-pro segments words before reading them, so polyphones follow the word (重症 -> zhongzheng).
    const syllable = keep(character.isZh ? character.pinyin : character.origin);
    initials += character.isZh ? syllable.slice(0, 1) : syllable;
    full += syllable;
  }
  return { initials, pinyin: full };
}

interface Query {
  /** For name matching: NFKC, lower case, no whitespace. */
  text: string;
  /** For initials and pinyin matching; null when the keyword is not plain letters and digits. */
  letters: string | null;
}

interface Form {
  name: string;
  initials: string;
  pinyin: string;
  alias: boolean;
}

interface Ranked<T> {
  department: T;
  tier: number;
  alias: boolean;
  length: number;
  index: number;
}

const compact = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

function parseQuery(keyword: string): Query | null {
  const text = compact(keyword);
  if (!text) return null;
  // Apostrophes separate syllables in typed pinyin (xi'an); ü is stored as v.
  const letters = text.replace(/['’]/g, '').replace(/ü/g, 'v');
  return { text, letters: /^[a-z0-9]+$/.test(letters) ? letters : null };
}

const aliasKeys = new Map<string, PinyinKeys>();

function aliasForm(alias: string): Form {
  let keys = aliasKeys.get(alias);
  if (!keys) {
    keys = pinyinOf(alias);
    aliasKeys.set(alias, keys);
  }
  return { name: compact(alias), ...keys, alias: true };
}

function formsOf(department: SearchableDepartment): Form[] {
  const aliases = department.aliases ?? DEPARTMENT_ALIASES[department.name] ?? [];
  return [{ name: compact(department.name), initials: department.initials, pinyin: department.pinyin, alias: false }, ...aliases.map(aliasForm)];
}

/** 0 exact name, 1 name contains, 2 initials prefix, 3 pinyin prefix; null when nothing matches. */
function tierOf(query: Query, form: Form): number | null {
  if (form.name === query.text) return 0;
  if (form.name.includes(query.text)) return 1;
  if (query.letters && form.initials.startsWith(query.letters)) return 2;
  if (query.letters && form.pinyin.startsWith(query.letters)) return 3;
  return null;
}

function rank<T extends SearchableDepartment>(query: Query, department: T, index: number): Ranked<T> | null {
  let best: Ranked<T> | null = null;
  for (const form of formsOf(department)) {
    const tier = tierOf(query, form);
    if (tier === null) continue;
    const candidate = { department, tier, alias: form.alias, length: form.name.length, index };
    if (!best || compareRanked(candidate, best) < 0) best = candidate;
  }
  return best;
}

/** Better tier first; then a match on the official name before one on an alias, shorter names, input order. */
function compareRanked<T>(a: Ranked<T>, b: Ranked<T>): number {
  return a.tier - b.tier || Number(a.alias) - Number(b.alias) || a.length - b.length || a.index - b.index;
}

export function matchesDepartment(keyword: string, department: SearchableDepartment): boolean {
  const query = parseQuery(keyword);
  return query === null || rank(query, department, 0) !== null;
}

/** The departments matching `keyword`, best first; a blank keyword returns all of them in their order. */
export function searchDepartments<T extends SearchableDepartment>(keyword: string, departments: readonly T[]): T[] {
  const query = parseQuery(keyword);
  if (query === null) return [...departments];
  return departments
    .map((department, index) => rank(query, department, index))
    .filter((ranked): ranked is Ranked<T> => ranked !== null)
    .sort(compareRanked)
    .map((ranked) => ranked.department);
}
