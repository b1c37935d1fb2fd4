// Subscription-message templates (pure): which template each event uses, one-time or long-term, and
// how an event's facts become the template's values cut to WeChat's limits. A template key's type is
// its name without the trailing number (thing1, time2, amount3, phrase4, name5, character_string6),
// as WeChat names them, so the configuration only maps keys to facts.
// @see https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
import { z } from 'zod';

/** Everything a patient hears about; the outbox keys messages by these names. */
export const MESSAGE_EVENTS = [
  'booking_confirmed',
  'payment_closing',
  'refund_underway',
  'refund_completed',
  'visit_reminder',
  'visit_day_reminder',
  'cancelled',
  'proxy_booked',
  'proxy_cancelled',
  'stop_clinic',
  'doctor_substituted',
] as const;
export type MessageEvent = (typeof MESSAGE_EVENTS)[number];

/** The facts an event can fill a template with (set by outbox events, see events.ts). */
export const MESSAGE_FACTS = ['patient', 'department', 'doctor', 'visitTime', 'place', 'number', 'amount', 'status', 'tip'] as const;
export type MessageFact = (typeof MESSAGE_FACTS)[number];
export type MessageFacts = Partial<Record<MessageFact, string>>;

export const VALUE_TYPES = ['thing', 'character_string', 'number', 'letter', 'symbol', 'phrase', 'name', 'time', 'date', 'amount', 'phone_number', 'car_number'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** 'once': one message per accepted prompt; 'long': until the person turns it off (open to medical services). */
export type TemplateKind = 'once' | 'long';

export interface TemplateConfig {
  id: string;
  kind: TemplateKind;
  /** Template key (thing1, time2...) -> the fact that fills it. */
  keys: Record<string, MessageFact>;
}

export type TemplateTable = Partial<Record<MessageEvent, TemplateConfig>>;

const KEY = /^(thing|character_string|number|letter|symbol|phrase|name|time|date|amount|phone_number|car_number)\d{1,2}$/;

/** The type of a template key (thing1 -> thing); undefined for a name WeChat would not use. */
export function keyType(key: string): ValueType | undefined {
  return KEY.exec(key)?.[1] as ValueType | undefined;
}

const templateSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be the template id from the mini program console'),
  kind: z.enum(['once', 'long']),
  keys: z.record(z.string().regex(KEY, 'must be a key like thing1 or time2'), z.enum(MESSAGE_FACTS)).refine((keys) => Object.keys(keys).length > 0, 'needs at least one key'),
});

export const templateTableSchema = z.partialRecord(z.enum(MESSAGE_EVENTS), templateSchema);

/**
 * The demo templates the local host and tests use (ids made up; the stand-in registers the same ones).
 * Production configures the hospital's own in MESSAGE_TEMPLATES (README "Subscription messages").
 */
export const DEMO_TEMPLATES: TemplateTable = {
  booking_confirmed: { id: 'demo-booking-confirmed', kind: 'once', keys: { name1: 'patient', thing2: 'department', thing3: 'doctor', time4: 'visitTime', thing5: 'place' } },
  payment_closing: { id: 'demo-payment-closing', kind: 'once', keys: { thing1: 'doctor', time2: 'visitTime', amount3: 'amount', thing4: 'tip' } },
  refund_underway: { id: 'demo-refund', kind: 'once', keys: { amount1: 'amount', phrase2: 'status', thing3: 'tip' } },
  refund_completed: { id: 'demo-refund', kind: 'once', keys: { amount1: 'amount', phrase2: 'status', thing3: 'tip' } },
  visit_reminder: { id: 'demo-visit-reminder', kind: 'long', keys: { name1: 'patient', thing2: 'department', time3: 'visitTime', thing4: 'place', thing5: 'tip' } },
  visit_day_reminder: { id: 'demo-visit-reminder', kind: 'long', keys: { name1: 'patient', thing2: 'department', time3: 'visitTime', thing4: 'place', thing5: 'tip' } },
  cancelled: { id: 'demo-booking-change', kind: 'once', keys: { name1: 'patient', thing2: 'doctor', time3: 'visitTime', phrase4: 'status', thing5: 'tip' } },
  proxy_booked: { id: 'demo-booking-change', kind: 'once', keys: { name1: 'patient', thing2: 'doctor', time3: 'visitTime', phrase4: 'status', thing5: 'tip' } },
  proxy_cancelled: { id: 'demo-booking-change', kind: 'once', keys: { name1: 'patient', thing2: 'doctor', time3: 'visitTime', phrase4: 'status', thing5: 'tip' } },
  stop_clinic: { id: 'demo-booking-change', kind: 'once', keys: { name1: 'patient', thing2: 'doctor', time3: 'visitTime', phrase4: 'status', thing5: 'tip' } },
  doctor_substituted: { id: 'demo-booking-change', kind: 'once', keys: { name1: 'patient', thing2: 'doctor', time3: 'visitTime', phrase4: 'status', thing5: 'tip' } },
};

/** WeChat's limit per type, in characters (code points); undefined: a format, not a length. */
const MAX_CHARS: Partial<Record<ValueType, number>> = { thing: 20, character_string: 32, number: 32, letter: 32, symbol: 5, phrase: 5, name: 10, phone_number: 17, car_number: 8 };

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * At most `max` code points, never splitting what a reader sees as one character (an emoji with its
 * skin tone or family joiners, a 生僻字 outside the basic plane, a letter with its accent); a cut text
 * ends in "…". Newlines and tabs become spaces (WeChat refuses them).
 */
export function cutText(value: string, max: number): string {
  const clean = value.replace(/[\r\n\t\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  if ([...clean].length <= max) return clean;
  let kept = '';
  let used = 0;
  for (const { segment } of segmenter.segment(clean)) {
    const size = [...segment].length;
    if (used + size > max - 1) break;
    kept += segment;
    used += size;
  }
  return `${kept.trimEnd()}…`;
}

/** One value made safe for its key's type. */
export function valueFor(type: ValueType, raw: string): string {
  switch (type) {
    case 'phrase':
      // Chinese only, 5 at most: our phrases are short status words (预约成功, 退款中); anything else is cut.
      return [...raw.replace(/[^\p{Script=Han}]/gu, '')].slice(0, 5).join('') || '通知';
    case 'name': {
      // 10 汉字 or 20 letters, nothing else (a dot in 买买提·艾力江, an emoji): never cut mid-way with "…".
      const letters = raw.replace(/[^A-Za-z ]/g, '').trim();
      if (/^[A-Za-z ]+$/.test(raw.trim()) && letters) return letters.slice(0, 20).trim();
      const han = [...raw.replace(/[^\p{Script=Han}]/gu, '')];
      return han.length ? han.slice(0, 10).join('') : '就诊人';
    }
    case 'character_string':
      return raw.replace(/[^\x21-\x7e]/g, '').slice(0, 32);
    case 'amount':
    case 'time':
    case 'date':
      return raw.replace(/[\r\n]/g, ' ').trim();
    default:
      return cutText(raw, MAX_CHARS[type] ?? 20);
  }
}

/** The `data` of subscribeMessage.send for this template and these facts; a missing fact reads "-". */
export function templateData(template: TemplateConfig, facts: MessageFacts): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {};
  for (const [key, fact] of Object.entries(template.keys)) {
    const type = keyType(key) ?? 'thing';
    const raw = facts[fact];
    data[key] = { value: raw ? valueFor(type, raw) : '-' };
  }
  return data;
}

/** 2026年12月02日 09:00~09:30: WeChat's time type, a range joined with ~. */
export function formatVisitTime(date: string, startClock: string, endClock?: string): string {
  const [year, month, day] = date.split('-');
  return `${year}年${month}月${day}日 ${startClock}${endClock ? `~${endClock}` : ''}`;
}

/** ¥12.50 from fen: one symbol, at most 10 digits. */
export function formatAmount(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}
