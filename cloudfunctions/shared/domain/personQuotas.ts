// Per-person quotas by visit date (B1, X1), in addition to the per-day and per-department rules: at most N
// visits on one day, in any 7 consecutive days, in any 90 consecutive days ("3 months"). Counted for the
// person (one card per ID), whichever account booked. Off by default; the Beijing 114 platform's published
// numbers (2 / 3 / 5) are one setting away.
import { z } from 'zod';
import type { ErrorCode } from '../errors';
import { addDays } from './releaseRules';

export interface PersonQuotas {
  perVisitDay: number | null;
  per7Days: number | null;
  per3Months: number | null;
}

export const NO_PERSON_QUOTAS: PersonQuotas = { perVisitDay: null, per7Days: null, per3Months: null };
export const PERSON_QUOTAS_114: PersonQuotas = { perVisitDay: 2, per7Days: 3, per3Months: 5 };

const limit = z.number().int().min(1).max(100).nullable();
export const personQuotasSchema = z.object({ perVisitDay: limit, per7Days: limit, per3Months: limit }).strict();

export type PersonQuotaVerdict = { ok: true } | { ok: false; code: Extract<ErrorCode, 'PERSON_QUOTA'>; message: string };

const WINDOWS: { key: keyof PersonQuotas; days: number; label: string }[] = [
  { key: 'perVisitDay', days: 1, label: '同一就诊日' },
  { key: 'per7Days', days: 7, label: '连续 7 天内' },
  { key: 'per3Months', days: 90, label: '连续 3 个月（90 天）内' },
];

/** The most visits any `days`-day window containing `visitDate` would hold with this one added. */
function busiestWindow(existing: readonly string[], visitDate: string, days: number): number {
  let most = 0;
  for (let shift = 0; shift < days; shift++) {
    const from = addDays(visitDate, -shift);
    const to = addDays(from, days - 1);
    most = Math.max(most, existing.filter((date) => date >= from && date <= to).length + 1);
  }
  return most;
}

/** `existingVisitDates`: the person's visits that count (every appointment holding a place), one entry each. */
export function checkPersonQuotas(input: { quotas: PersonQuotas; existingVisitDates: readonly string[]; visitDate: string }): PersonQuotaVerdict {
  for (const window of WINDOWS) {
    const cap = input.quotas[window.key];
    if (cap === null) continue;
    if (busiestWindow(input.existingVisitDates, input.visitDate, window.days) > cap) {
      return {
        ok: false,
        code: 'PERSON_QUOTA',
        message: `按医院规定，每位就诊人${window.label}最多预约 ${cap} 次，这位就诊人已经约满了。请改约其他日期，或先取消不需要的预约。`,
      };
    }
  }
  return { ok: true };
}
