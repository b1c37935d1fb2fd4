// WeChat cloud timer triggers use 7-field cron (second minute hour day month weekday year); this matches them.
// @see https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/functions/triggers.html
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  min: number;
  max: number;
  names?: string[];
  nameBase?: number;
}

const FIELDS: FieldSpec[] = [
  { min: 0, max: 59 }, // second
  { min: 0, max: 59 }, // minute
  { min: 0, max: 23 }, // hour
  { min: 1, max: 31 }, // day of month
  { min: 1, max: 12, names: MONTHS, nameBase: 1 }, // month
  { min: 0, max: 6, names: WEEKDAYS, nameBase: 0 }, // weekday, 0 = Sunday
  { min: 1970, max: 2199 }, // year
];

export type CronSchedule = Set<number>[];

function parseValue(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + (spec.nameBase ?? 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < spec.min || value > spec.max) throw new Error(`cron value "${text}" out of range`);
  return value;
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron step "${part}" is invalid`);
    let from = spec.min;
    let to = spec.max;
    if (range !== '*' && range !== '?') {
      const [low, high] = range.split('-');
      from = parseValue(low, spec);
      to = high === undefined ? (stepText === undefined ? from : spec.max) : parseValue(high, spec);
    }
    if (from > to) throw new Error(`cron range "${part}" is reversed`);
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 7) throw new Error(`cron "${expression}" must have 7 fields (second minute hour day month weekday year)`);
  return parts.map((part, index) => parseField(part, FIELDS[index]));
}

/** Whether the schedule fires at this second, read in the given time zone (WeChat cloud runs triggers in China time). */
export function cronMatches(schedule: CronSchedule, at: Date, timeZone = 'Asia/Shanghai'): boolean {
  const local = dayjs(at).tz(timeZone);
  const fields = [local.second(), local.minute(), local.hour(), local.date(), local.month() + 1, local.day(), local.year()];
  return fields.every((value, index) => schedule[index].has(value));
}
