// A caller's cards as the app sees them: the default first; the owner also sees the family, everyone their notices.
import type { UserContext } from '../shared/context';
import { AppError } from '../shared/errors';
import { recentNotices } from '../shared/patients/notices';
import { listManagedPatients, listManagers } from '../shared/patients/patientRepository';
import type { UserDoc } from '../shared/users/userRepository';
import { toNoticeView, toPatientCard, type PatientCard } from './cardView';
import { requireManaged } from './family';
import { cardActivity, managerNames } from './familyFaces';

export async function listCards(context: UserContext): Promise<PatientCard[]> {
  const managed = await listManagedPatients(context.db, context.user._id);
  const user = await context.db.collection<UserDoc>('users').findOne({ _id: context.user._id });
  const defaultId = managed.some((entry) => user?.defaultPatientId?.equals(entry.patient._id))
    ? user?.defaultPatientId?.toHexString()
    : managed[0]?.patient._id.toHexString();
  const cards = managed.map((entry) => toPatientCard(context, entry, { isDefault: entry.patient._id.toHexString() === defaultId }));
  return cards.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

export async function cardFor(context: UserContext, id: string): Promise<PatientCard> {
  const cards = await listCards(context);
  const card = cards.find((entry) => entry.id === id);
  if (!card) throw new AppError('NOT_FOUND');
  const managed = await requireManaged(context, id);
  const notices = (await recentNotices(context.db, context.user._id, managed.patient._id, context.now)).map((notice) => toNoticeView(context, notice));
  if (card.role !== 'owner') return notices.length ? { ...card, notices } : card;
  const managers = await listManagers(context.db, managed.patient._id);
  const names = await managerNames(context, managed.patient, managers);
  const full = toPatientCard(context, managed, { isDefault: card.isDefault, managers, managerNames: names });
  const activity = await cardActivity(context, managed.patient._id, names);
  return { ...full, activity, ...(notices.length && { notices }) };
}

