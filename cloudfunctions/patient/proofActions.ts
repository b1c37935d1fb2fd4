// The `patient` actions for the honest ways into a card someone else manages: proof of the phone on record
// (SMS code, WeChat's phone check) and the counter's ownership transfer. Every attempt is rate-limited.
import { z } from 'zod';
import { defineAction, toFieldErrors } from '../shared/createMain';
import type { UserContext } from '../shared/context';
import { validateIdDocument, ID_DOCUMENT_TYPES } from '../shared/domain/idDocument';
import { normalisePhoneCode } from '../shared/domain/phoneCode';
import { makeBindPatientSchema, mobileField } from '../shared/domain/patientSchemas';
import { AppError } from '../shared/errors';
import { parseObjectId, patientsOf } from '../shared/patients/patientRepository';
import { limitCaller, RATE_RULES } from '../shared/rateLimit';
import type { UserDoc } from '../shared/users/userRepository';
import { cardFor } from './cards';
import { hospitalToday } from './cardView';
import { transferOwnerAtCounter } from './ownership';
import { sendPhoneChangeCode, verifyPhoneChange } from './phoneChange';
import { proveWithWechatPhone, sendProofCode, verifyProofCode } from './phoneProof';

/** The person's details as on the add-card form (a child without an ID included, under the caller's own card). */
function parsePerson(context: UserContext, raw: Record<string, unknown>) {
  const schema = makeBindPatientSchema({ today: hospitalToday(context), guardianPathAllowed: context.config.guardianPathAllowed });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError('INVALID_PARAMS', undefined, toFieldErrors(parsed.error));
  return parsed.data;
}

const flags = z.object({ asOwner: z.boolean({ error: '请选择您是不是就诊人本人' }).default(false) });
const codeInput = z.object({
  proofId: z.string({ error: '请先获取验证码' }).max(64),
  code: z
    .string({ error: '请输入短信里的 6 位验证码' })
    .max(20)
    .transform((raw, ctx) => normalisePhoneCode(raw) ?? (ctx.addIssue({ code: 'custom', message: '验证码是 6 位数字，请核对后再输入。' }), z.NEVER)),
});

export const proofActions = {
  sendProofCode: defineAction({
    auth: 'user',
    input: z.record(z.string(), z.unknown()),
    async run(context, raw) {
      await limitCaller(context, RATE_RULES.proofPerUser, RATE_RULES.proofPerAddress);
      return sendProofCode(context, parsePerson(context, raw));
    },
  }),

  verifyProofCode: defineAction({
    auth: 'user',
    input: flags.extend(codeInput.shape),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.proofPerUser, RATE_RULES.proofPerAddress);
      const patientId = await verifyProofCode(context, input);
      return { patient: await cardFor(context, patientId.toHexString()) };
    },
  }),

  proveWithWechatPhone: defineAction({
    auth: 'user',
    input: z.record(z.string(), z.unknown()),
    async run(context, raw) {
      await limitCaller(context, RATE_RULES.proofPerUser, RATE_RULES.proofPerAddress);
      // The form as typed, phone included: WeChat's verified phone must be that phone.
      const { phoneCode: rawCode, asOwner: rawOwner, ...rest } = raw;
      const extra = flags.extend({ phoneCode: z.string({ error: '请点“用微信手机号验证”并同意授权' }).min(1).max(128) }).safeParse({ phoneCode: rawCode, asOwner: rawOwner });
      if (!extra.success) throw new AppError('INVALID_PARAMS', undefined, toFieldErrors(extra.error));
      const patientId = await proveWithWechatPhone(context, parsePerson(context, rest), extra.data);
      return { patient: await cardFor(context, patientId.toHexString()) };
    },
  }),

  /** The owner's new phone for a card: a code to the new phone first (same limits as joining). */
  sendPhoneChangeCode: defineAction({
    auth: 'user',
    input: z.object({ patientId: z.string({ error: '请选择就诊人' }).max(64), phone: mobileField() }),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.proofPerUser, RATE_RULES.proofPerAddress);
      return sendPhoneChangeCode(context, input);
    },
  }),

  verifyPhoneChange: defineAction({
    auth: 'user',
    input: codeInput,
    async run(context, input) {
      await limitCaller(context, RATE_RULES.proofPerUser, RATE_RULES.proofPerAddress);
      const patientId = await verifyPhoneChange(context, input);
      return { patient: await cardFor(context, patientId.toHexString()) };
    },
  }),

  adminTransferOwner: defineAction({
    // Staff only: the role is checked before the payload, so a non-admin learns nothing about the fields.
    auth: 'admin',
    input: z.object({
      idType: z.enum(ID_DOCUMENT_TYPES, { error: '请选择证件类型' }),
      idNumber: z.string({ error: '请输入就诊人证件上的号码' }).max(32),
      userId: z.string({ error: '请输入就诊人账号编号（在小程序“我的”页面）' }).max(64),
    }),
    async run(context, input) {
      const document = validateIdDocument({ idType: input.idType, idNumber: input.idNumber, today: hospitalToday(context) });
      if (!document.ok) throw new AppError('INVALID_PARAMS', undefined, [{ path: 'idNumber', message: document.message, code: document.code }]);
      const patient = await patientsOf(context.db).findOne({ personKey: context.pii.blindIndex('id', document.value.idNumber) });
      const userId = parseObjectId(input.userId);
      const user = userId && (await context.db.collection<UserDoc>('users').findOne({ _id: userId }));
      if (!patient || !user) throw new AppError('NOT_FOUND', '没有找到这张就诊卡或这个账号，请核对证件号码和账号编号。');
      await transferOwnerAtCounter(context, patient, user._id);
      return { patientId: patient._id.toHexString(), ownerUserId: user._id.toHexString() };
    },
  }),
};
