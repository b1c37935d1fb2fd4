// The `patient` function's actions: cards bound by ID number, family proxies, visit codes (P1-P3).
import { ObjectId } from 'mongodb';
import { z } from 'zod';
import { recordAudit } from '../shared/audit';
import { defineAction, toFieldErrors } from '../shared/createMain';
import { DEFAULT_GUARDIAN_MAX_AGE_YEARS } from '../shared/domain/idDocument';
import { maskIdNumber, maskName } from '../shared/domain/mask';
import { makeBindPatientSchema, RELATIONS } from '../shared/domain/patientSchemas';
import { AppError } from '../shared/errors';
import { INVITE_CODE_CHARACTERS_MESSAGE, INVITE_CODE_PATTERN, normaliseInviteCode } from '../shared/patients/invites';
import { linksOf, patientsOf } from '../shared/patients/patientRepository';
import { signVisitCode, verifyVisitCode } from '../shared/patients/visitCode';
import { limitCaller, RATE_RULES } from '../shared/rateLimit';
import type { UserDoc } from '../shared/users/userRepository';
import { bindPatient } from './bindPatient';
import { hospitalToday } from './cardView';
import { accept, invite, requireManaged, revokeManager, unbind } from './family';
import { cardFor, listCards } from './cards';
import { noShowRecord } from './noShowRecord';
import { proofActions } from './proofActions';

const patientId = z.string({ error: '请选择就诊人' }).max(64);
const byPatient = z.object({ patientId });

export const patientActions = {
  ...proofActions,
  bind: defineAction({
    auth: 'user',
    // The schema depends on today's date in the hospital, so it is built per request below.
    input: z.record(z.string(), z.unknown()),
    async run(context, raw) {
      await limitCaller(context, RATE_RULES.bindPerUser, RATE_RULES.bindPerAddress);
      const schema = makeBindPatientSchema({ today: hospitalToday(context), guardianPathAllowed: context.config.guardianPathAllowed });
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new AppError('INVALID_PARAMS', undefined, toFieldErrors(parsed.error));
      // Never answers with a card: every bind asks for proof of the typed phone (PATIENT_NEEDS_PROOF).
      return bindPatient(context, parsed.data);
    },
  }),

  list: defineAction({
    auth: 'user',
    input: z.object({}),
    async run(context) {
      return {
        patients: await listCards(context),
        limit: context.config.patientCardLimit,
        // Whether the add-card form offers "孩子还没有身份证？", and for which ages.
        guardianPath: { allowed: context.config.guardianPathAllowed, maxAgeYears: DEFAULT_GUARDIAN_MAX_AGE_YEARS },
      };
    },
  }),

  get: defineAction({
    auth: 'user',
    input: byPatient,
    async run(context, input) {
      return { patient: await cardFor(context, input.patientId) };
    },
  }),

  unbind: defineAction({
    auth: 'user',
    input: byPatient,
    async run(context, input) {
      await unbind(context, input.patientId);
      return { patients: await listCards(context) };
    },
  }),

  setDefault: defineAction({
    auth: 'user',
    input: byPatient,
    async run(context, input) {
      const managed = await requireManaged(context, input.patientId);
      await context.db.collection<UserDoc>('users').updateOne({ _id: context.user._id }, { $set: { defaultPatientId: managed.patient._id } });
      return { patients: await listCards(context) };
    },
  }),

  invite: defineAction({
    auth: 'user',
    input: byPatient,
    run: (context, input) => invite(context, input.patientId),
  }),

  accept: defineAction({
    auth: 'user',
    input: z.object({
      code: z
        .string({ error: '请输入家人给您的邀请码' })
        .max(32)
        .transform(normaliseInviteCode)
        .refine((code) => code.length === 8, '邀请码是 8 位字母和数字，请核对后再输入。')
        // Eight characters but one the codes never use (0 O 1 I L): say which, not "8 位" again.
        .refine((code) => code.length !== 8 || INVITE_CODE_PATTERN.test(code), INVITE_CODE_CHARACTERS_MESSAGE),
      relation: z.enum(RELATIONS, { error: '请选择就诊人与您的关系' }).default('other'),
    }),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.acceptPerUser, RATE_RULES.acceptPerAddress);
      const managed = await accept(context, input.code, input.relation);
      return { patient: await cardFor(context, managed.patient._id.toHexString()) };
    },
  }),

  revokeManager: defineAction({
    auth: 'user',
    input: z.object({ patientId, userId: z.string({ error: '请选择要移除的家人' }).max(64) }),
    async run(context, input) {
      await revokeManager(context, input.patientId, input.userId);
      return { patient: await cardFor(context, input.patientId) };
    },
  }),

  /** A3: the card's no-shows and the restriction they cause, for the owner and family managers. */
  noShowRecord: defineAction({
    auth: 'user',
    input: byPatient,
    async run(context, input) {
      await limitCaller(context, RATE_RULES.noShowRecordPerUser);
      const managed = await requireManaged(context, input.patientId);
      return { record: await noShowRecord(context, managed.patient._id) };
    },
  }),

  visitCode: defineAction({
    auth: 'user',
    input: byPatient,
    async run(context, input) {
      const managed = await requireManaged(context, input.patientId);
      const signed = signVisitCode(context.visitCodeKey, managed.patient._id.toHexString(), context.now);
      return { code: signed.code, expiresAt: signed.expiresAt.toISOString() };
    },
  }),

  verifyVisitCode: defineAction({
    auth: 'admin',
    input: z.object({ code: z.string({ error: '请扫描患者的就诊码' }).max(200) }),
    async run(context, input) {
      const check = verifyVisitCode(context.visitCodeKey, input.code, context.now);
      if (!check.ok) throw new AppError(check.reason === 'expired' ? 'VISIT_CODE_EXPIRED' : 'VISIT_CODE_INVALID');
      const patient = await patientsOf(context.db).findOne({ _id: ObjectId.createFromHexString(check.patientId) });
      if (!patient || (await linksOf(context.db).countDocuments({ patientId: patient._id })) === 0) throw new AppError('VISIT_CODE_INVALID');
      await recordAudit(context.db, {
        at: context.now,
        actorUserId: context.user._id,
        action: 'patient.visitCode.verify',
        patientId: patient._id,
        requestId: context.requestId,
      });
      return {
        patient: {
          id: patient._id.toHexString(),
          nameMasked: maskName(patient.name),
          idNumberMasked: patient.idNumberSealed ? maskIdNumber(context.pii.decrypt(patient.idNumberSealed)) : null,
          ...(patient.sex && { sex: patient.sex }),
          ...(patient.birthDate && { birthDate: patient.birthDate }),
          hisPatientId: patient.hisPatientId,
        },
        expiresAt: check.expiresAt.toISOString(),
      };
    },
  }),
};
