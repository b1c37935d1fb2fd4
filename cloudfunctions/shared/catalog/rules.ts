// The rules in force for one department: the hospital's, then the first-level department's
// overrides, then the clinic's own (C2 release rules, B1 eligibility, B4 cancellation).
import { DEFAULT_CANCELLATION_RULES, type CancellationRules } from '../domain/cancellation';
import { DEFAULT_CHECK_IN_RULES, type CheckInRules } from '../domain/checkIn';
import { DEFAULT_PENALTY_POLICY } from '../domain/noShowPenalty';
import { DEFAULT_ELIGIBILITY_RULES, mergeEligibility, type EligibilityRules } from '../domain/eligibility';
import { mergeRules } from '../domain/releaseRules';
import type { Context } from '../context';
import { catalogCache } from './catalogCache';
import { DEFAULT_RELEASE_RULES, type DepartmentDoc, type NoShowRules, type ReleaseRules } from './model';

export const DEFAULT_NO_SHOW_RULES: NoShowRules = { graceMinutes: 60, penalty: DEFAULT_PENALTY_POLICY };

export interface DepartmentRules {
  release: ReleaseRules;
  eligibility: EligibilityRules;
  cancellation: CancellationRules;
  checkIn: CheckInRules;
  noShow: NoShowRules;
  timeZone: string;
}

export async function rulesForDepartment(context: Pick<Context, 'db' | 'config'>, department: DepartmentDoc): Promise<DepartmentRules> {
  const [hospital, departments] = await Promise.all([catalogCache.hospital(context.db), catalogCache.departments(context.db)]);
  const parent = department.parentId ? departments.find((entry) => entry._id.equals(department.parentId!)) : undefined;
  return {
    release: mergeRules(mergeRules(hospital?.releaseRules ?? DEFAULT_RELEASE_RULES, parent?.releaseRules), department.releaseRules),
    eligibility: mergeEligibility(hospital?.eligibility ?? DEFAULT_ELIGIBILITY_RULES, parent?.eligibility, department.eligibility),
    cancellation: hospital?.cancellation ?? DEFAULT_CANCELLATION_RULES,
    checkIn: hospital?.checkIn ?? DEFAULT_CHECK_IN_RULES,
    noShow: hospital?.noShow ?? DEFAULT_NO_SHOW_RULES,
    timeZone: hospital?.timeZone ?? context.config.timeZone,
  };
}
