// Doctor search on the home page (C1): by name ("王建国", "王"), by pinyin initials of the name ("wjg")
// or by what the doctor treats, the 擅长 text ("高血压", "房颤"). Name matches rank above specialty ones.
import { pinyinOf } from './pinyin';

export interface SearchableDoctor {
  name: string;
  specialty: string;
}

/** Search results shown at most: a keyword matching more doctors than this needs narrowing, not scrolling. */
export const MAX_DOCTOR_RESULTS = 20;

const compact = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

const initialsByName = new Map<string, string>();
function initialsOf(name: string): string {
  let initials = initialsByName.get(name);
  if (initials === undefined) {
    initials = pinyinOf(name).initials;
    if (initialsByName.size > 5000) initialsByName.clear();
    initialsByName.set(name, initials);
  }
  return initials;
}

/** 0 exact name, 1 name contains, 2 name initials prefix, 3 specialty contains; null when nothing matches. */
function tierOf(text: string, doctor: SearchableDoctor): number | null {
  const name = compact(doctor.name);
  if (name === text) return 0;
  if (name.includes(text)) return 1;
  if (/^[a-z]+$/.test(text) && initialsOf(doctor.name).startsWith(text)) return 2;
  if (compact(doctor.specialty).includes(text)) return 3;
  return null;
}

/** The doctors matching `keyword`, best first (then in input order), at most MAX_DOCTOR_RESULTS; none for a blank keyword. */
export function searchDoctors<T extends SearchableDoctor>(keyword: string, doctors: readonly T[]): T[] {
  const text = compact(keyword);
  if (!text) return [];
  return doctors
    .map((doctor, index) => ({ doctor, index, tier: tierOf(text, doctor) }))
    .filter((entry): entry is { doctor: T; index: number; tier: number } => entry.tier !== null)
    .sort((a, b) => a.tier - b.tier || a.index - b.index)
    .slice(0, MAX_DOCTOR_RESULTS)
    .map((entry) => entry.doctor);
}
