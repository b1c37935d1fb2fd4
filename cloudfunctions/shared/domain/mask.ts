// Masks personal data for every response and log line: enough to recognise, never enough to reuse.

const HAN = /\p{Script=Han}/u;

/** Keeps `keep` characters at each end; everything between becomes '*'. */
function keepEnds(chars: string[], keep: number): string {
  // keep 0 must not reach slice(-0), which is the whole string.
  if (keep === 0 || chars.length <= keep * 2) return '*'.repeat(chars.length);
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep * 2) + chars.slice(-keep).join('');
}

/**
 * 18-character numbers keep the first 4 (province and city) and the last 4:
 * `11010519491231002X` -> `1101**********002X`. The 15-character foreign form keeps 3 and 3
 * (`KAZ*********105`), so the nationality shows and the birth date does not. Anything else keeps
 * a quarter at each end, which always hides at least half.
 */
export function maskIdNumber(idNumber: string): string {
  const chars = Array.from(idNumber);
  const keep = chars.length >= 18 ? 4 : chars.length >= 15 ? 3 : Math.floor(chars.length / 4);
  return keepEnds(chars, keep);
}

/** `13812345678` -> `138****5678`; other lengths keep a quarter at each end. */
export function maskPhone(phone: string): string {
  const chars = Array.from(phone);
  if (chars.length === 11) return `${chars.slice(0, 3).join('')}****${chars.slice(-4).join('')}`;
  return keepEnds(chars, Math.floor(chars.length / 4));
}

/**
 * Chinese names keep the first and last character (`张秀英` -> `张*英`, `欧阳娜娜` -> `欧**娜`) and the
 * '·' of minority names; two characters keep the surname only (`王磊` -> `王*`); one becomes `*`.
 * Latin names keep the first letter of each word and every separator (`John Smith` -> `J*** S****`,
 * `Mary-Jane O'Neil` -> `M***-J*** O'N***`).
 */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.some((char) => HAN.test(char))) {
    if (chars.length <= 1) return '*'.repeat(chars.length);
    if (chars.length === 2) return `${chars[0]}*`;
    const last = chars.length - 1;
    return chars.map((char, i) => (i === 0 || i === last || char === '\u00B7' ? char : '*')).join('');
  }
  return chars
    .map((char, i) => {
      if (!/\p{L}|\p{M}/u.test(char)) return char;
      const startsWord = i === 0 || !/\p{L}|\p{M}/u.test(chars[i - 1]);
      return startsWord ? char : '*';
    })
    .join('');
}
