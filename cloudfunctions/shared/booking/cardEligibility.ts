// Before the tap (issue 15 item 3): which of the caller's cards can book a slot, and why not. The same
// verdicts the hold enforces (eligibilityVerdict, checkPeopleOnDay), read without taking any lease: the
// hold still decides, this only spares the patient a refusal they could have seen coming.
import type { AccountContext } from '../context';
import { checkPeopleOnDay } from '../domain/accountLimits';
import { listManagedPatients } from '../patients/patientRepository';
import { bookingCounts, eligibilityVerdict, type SlotContext } from './holds';
import { peopleBookedOnDay } from './peoplePerDay';

export interface CardEligibility {
  patientId: string;
  canBook: boolean;
  /** The code the hold would refuse with; null when it would not. */
  code: string | null;
  /** What to do instead, in the words the refusal would use; null when the card can book. */
  sentence: string | null;
}

/** One answer per card the caller owns or manages (never anyone else's), in the order of `listManagedPatients`. */
export async function cardsEligibility(context: AccountContext, target: SlotContext): Promise<CardEligibility[]> {
  const [managed, booked] = await Promise.all([listManagedPatients(context.db, context.user._id), peopleBookedOnDay(context, target.slot.date)]);
  const bookedIds = booked.map((id) => id.toHexString());
  return Promise.all(
    managed.map(async ({ patient, link }) => {
      const patientId = patient._id.toHexString();
      const verdict = eligibilityVerdict(context, patient, link.role, target, await bookingCounts(context, patient._id, target));
      const people = checkPeopleOnDay({ booked: bookedIds, patientId, limit: context.config.bookingPeoplePerDay, date: target.slot.date });
      const refusal = !verdict.ok ? verdict : !people.ok ? people : null;
      return { patientId, canBook: refusal === null, code: refusal?.code ?? null, sentence: refusal?.message ?? null };
    }),
  );
}
