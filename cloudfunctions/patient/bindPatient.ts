// `patient.bind` and the creation of a new person's card. A card is never bound here directly: every bind
// answers PATIENT_NEEDS_PROOF, new person or known, and the card is made (or joined) only once the caller proves
// the phone they typed (./phoneProof.ts). So the answer tells a stranger nothing about whether the ID is
// registered. A child without an ID goes the same way, under the caller's own proven card (the guardian). The
// record is registered with the HIS before anything is written, so an HIS outage leaves nothing half-bound; the
// account's card limit is reserved atomically.
import { createHash } from 'node:crypto';
import { MongoServerError, ObjectId } from 'mongodb';
import { recordAudit } from '../shared/audit';
import type { UserContext } from '../shared/context';
import type { IdType, Sex } from '../shared/domain/idDocument';
import type { BindPatient, Relation } from '../shared/domain/patientSchemas';
import { AppError } from '../shared/errors';
import { HisError, type HisPatient } from '../shared/his/his';
import { releaseCardSlot, reserveCardSlot } from '../shared/patients/cardSlots';
import { claimNewCardLink } from '../shared/patients/newCardLinks';
import { linkId, linksOf, patientsOf, type PatientDoc } from '../shared/patients/patientRepository';
import { recountStrangerCards } from '../shared/scriptingSigns';
import type { UserDoc } from '../shared/users/userRepository';

export interface Person {
  personKey: string;
  idType: IdType;
  /** The document number sent to the HIS: the real ID, or a stable key for a child without one. */
  hisIdNumber: string;
  idNumber?: string;
  name: string;
  sex?: Sex;
  birthDate?: string;
  guardianPatientId?: ObjectId;
}

export async function bindPatient(context: UserContext, input: BindPatient): Promise<never> {
  const { db, user } = context;
  const person = await identifyPerson(context, input);
  const existing = await patientsOf(db).findOne({ personKey: person.personKey });
  // Only the caller's own cards can be "already bound": that tells a stranger nothing.
  if (existing && (await linksOf(db).findOne({ _id: linkId(user._id, existing._id) }))) throw new AppError('PATIENT_ALREADY_BOUND');
  // The account's own limits are judged first, in the same order for a new and a known person, so they say
  // nothing about the ID either; then the same neutral answer for both. Nothing is written.
  if ((await linksOf(db).countDocuments({ userId: user._id })) >= context.config.patientCardLimit) throw cardLimitReached(context);
  await (await claimNewCardLink(context, 'bind')).release();
  throw new AppError('PATIENT_NEEDS_PROOF');
}

/**
 * Registers a person new here (HIS first) and makes the caller the owner of their card, within the account's
 * card limit and 30-day new-card limit (both given back on failure). Null when another account created the same
 * person meanwhile: nothing of the caller's is written then, and the caller decides how to join.
 */
export async function createOwnedCard(context: UserContext, person: Person, phone: string, relation: Relation, via: 'sms' | 'wechat_phone'): Promise<PatientDoc | null> {
  const { db, user } = context;
  if (!(await reserveCardSlot(db, user._id, context.config.patientCardLimit))) throw cardLimitReached(context);
  const newLink = await claimNewCardLink(context, 'proof').catch(async (error: unknown) => {
    await releaseCardSlot(db, user._id);
    throw error;
  });
  let patient: PatientDoc | null;
  try {
    const record = await createPatientRecord(context, person, phone);
    patient = record.created
      ? await patientsOf(db).findOneAndUpdate({ _id: record.patient._id, ownerUserId: null }, { $set: { ownerUserId: user._id, updatedAt: context.now } }, { returnDocument: 'after' })
      : null;
    if (!patient) {
      await releaseCardSlot(db, user._id);
      await newLink.release();
      return null;
    }
    await linksOf(db).insertOne({ _id: linkId(user._id, patient._id), userId: user._id, patientId: patient._id, role: 'owner', relation, via, createdAt: context.now });
  } catch (error) {
    await releaseCardSlot(db, user._id);
    await newLink.release();
    if (error instanceof MongoServerError && error.code === 11000) throw new AppError('PATIENT_ALREADY_BOUND');
    throw error;
  }
  await recountStrangerCards(db, user._id, context.now, context.log);

  await db
    .collection<UserDoc>('users')
    .updateOne({ _id: user._id, defaultPatientId: { $in: [null] } }, { $set: { defaultPatientId: patient._id } });
  await recordAudit(db, {
    at: context.now,
    actorUserId: user._id,
    action: 'patient.bind',
    patientId: patient._id,
    requestId: context.requestId,
    details: { via },
  });
  return patient;
}

export function cardLimitReached(context: UserContext): AppError {
  return new AppError('PATIENT_LIMIT_REACHED', `一个账号最多绑定 ${context.config.patientCardLimit} 位就诊人。如需添加，请先解除一位不再需要的就诊人。`);
}

export async function identifyPerson(context: UserContext, input: BindPatient): Promise<Person> {
  const { pii } = context;
  if (input.idType !== 'guardian_child') {
    return {
      personKey: pii.blindIndex('id', input.idNumber),
      idType: input.idType,
      hisIdNumber: input.idNumber,
      idNumber: input.idNumber,
      name: input.name,
      ...(input.sex && { sex: input.sex }),
      ...(input.birthDate && { birthDate: input.birthDate }),
    };
  }
  // A child without an ID is identified through the guardian's own card: one the caller owns as 本人 and that
  // carries an ID document. Ownership is only ever gained by proof (the phone's code, WeChat's phone check, staff
  // at the counter); a link from the old typed-details `bind` does not count.
  const selfLinks = await linksOf(context.db)
    .find({ userId: context.user._id, relation: 'self', role: 'owner', via: { $ne: 'bind' } })
    .sort({ createdAt: 1 })
    .toArray();
  const ownCards = await patientsOf(context.db)
    .find({ _id: { $in: selfLinks.map((link) => link.patientId) }, idType: { $ne: 'guardian_child' }, ownerUserId: context.user._id })
    .toArray();
  const guardian = ownCards[0];
  if (!guardian) throw new AppError('GUARDIAN_NEEDS_OWN_CARD');
  const childKey = `guardian:${guardian._id.toHexString()}:${input.childName}:${input.childBirthDate}`;
  const nameTag = createHash('sha256').update(input.childName).digest('hex').slice(0, 8);
  return {
    personKey: pii.blindIndex('id', childKey),
    idType: 'guardian_child',
    hisIdNumber: `G-${guardian.hisPatientId}-${input.childBirthDate}-${nameTag}`,
    name: input.childName,
    sex: input.childSex,
    birthDate: input.childBirthDate,
    guardianPatientId: guardian._id,
  };
}

/** The person's record, `created` false when another account's record for the same person won the race. */
async function createPatientRecord(context: UserContext, person: Person, phone: string): Promise<{ patient: PatientDoc; created: boolean }> {
  const his = await linkWithHis(context, person, phone);
  const doc: PatientDoc = {
    _id: new ObjectId(),
    personKey: person.personKey,
    idType: person.idType,
    ...(person.idNumber && { idNumberSealed: context.pii.encrypt(person.idNumber) }),
    phoneSealed: context.pii.encrypt(phone),
    name: person.name,
    ...(person.sex && { sex: person.sex }),
    ...(person.birthDate && { birthDate: person.birthDate }),
    ...(person.guardianPatientId && { guardianPatientId: person.guardianPatientId }),
    hisPatientId: his.hisPatientId,
    ownerUserId: null,
    createdAt: context.now,
    updatedAt: context.now,
  };
  try {
    await patientsOf(context.db).insertOne(doc);
    return { patient: doc, created: true };
  } catch (error) {
    // Two accounts bound the same new person at once: the record that won is theirs.
    if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    const winner = await patientsOf(context.db).findOne({ personKey: person.personKey });
    if (!winner) throw error;
    return { patient: winner, created: false };
  }
}

async function linkWithHis(context: UserContext, person: Person, phone: string): Promise<HisPatient> {
  try {
    const query = { idType: person.idType, idNumber: person.hisIdNumber };
    const found = person.idType === 'guardian_child' ? null : await context.his.findPatient(query);
    if (found && found.name !== person.name) throw new AppError('HIS_REFUSED');
    return (
      found ??
      (await context.his.registerPatient({
        ...query,
        name: person.name,
        phone,
        ...(person.sex && { sex: person.sex }),
        ...(person.birthDate && { birthDate: person.birthDate }),
      }))
    );
  } catch (error) {
    if (!(error instanceof HisError)) throw error;
    context.log.warn('HIS link failed', { requestId: context.requestId, kind: error.kind, reason: error.reason, status: error.status });
    throw new AppError(error.kind === 'refused' ? 'HIS_REFUSED' : 'HIS_UNAVAILABLE');
  }
}
