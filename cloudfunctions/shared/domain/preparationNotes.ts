// Preparation notes (就诊须知, N3): what a patient should do before the visit (空腹抽血, 带既往病历, arrive early),
// plain text staff write per department, optionally per doctor. A doctor's notes replace the department's, a
// clinic's replace its first-level department's. The slip and the message center show them whole; a WeChat
// reminder's `thing` value holds 20 characters, so it carries a short form that is never a cut instruction.
import { z } from 'zod';

/** Characters (code points, as WeChat and people count them) a note may have. */
export const PREPARATION_MAX_CHARS = 300;
/** What the reminder says when the notes' first sentence does not fit: the page it opens shows them whole. */
export const SEE_PREPARATION = '请点开查看就诊须知';

/** Tabs, bells and other control characters, and the Unicode line separators; not the line break itself. */
function isControl(unit: string): boolean {
  const code = unit.charCodeAt(0);
  return (code < 0x20 && unit !== '\n') || code === 0x7f || code === 0x2028 || code === 0x2029;
}

/** Plain text: line breaks kept (at most one empty line), control characters and trailing spaces gone. */
export function cleanPreparation(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .split('')
    .map((unit) => (isControl(unit) ? ' ' : unit))
    .join('')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export const preparationSchema = z
  .string({ error: '就诊须知请填写文字' })
  .transform(cleanPreparation)
  .refine((notes) => [...notes].length <= PREPARATION_MAX_CHARS, `就诊须知最多 ${PREPARATION_MAX_CHARS} 字，请写最要紧的几条`);

interface WithNotes {
  preparation?: string | null;
}

/** The notes a patient of this doctor reads: the doctor's own, else the clinic's, else its first-level department's. */
export function effectivePreparation(doctor: WithNotes | null | undefined, clinic: WithNotes | null | undefined, parent?: WithNotes | null): string {
  for (const source of [doctor, clinic, parent]) {
    const notes = source?.preparation?.trim();
    if (notes) return notes;
  }
  return '';
}

/**
 * The notes in at most `max` characters for a subscription message: the first sentence when it fits whole,
 * otherwise "请点开查看就诊须知" (a fasting rule cut in half could say the opposite of what it meant);
 * '' without notes.
 */
export function preparationShortForm(notes: string, max = 20): string {
  const first = cleanPreparation(notes)
    .split(/[。！？!?；;\n]/)
    .map((part) => part.replace(/^[\s\d一二三四五六七八九十]+[.、．)）](?!\d)\s*/, '').replace(/[，,、：:\s]+$/, '').trim())
    .find((part) => part.length > 0);
  if (!first) return '';
  return [...first].length <= max ? first : SEE_PREPARATION;
}
