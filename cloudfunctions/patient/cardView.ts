// What a caller sees of a patient card: ID and phone numbers decrypted only to be masked.
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { Context } from '../shared/context';
import { ageOn, type IdType, type Sex } from '../shared/domain/idDocument';
import { maskIdNumber, maskPhone } from '../shared/domain/mask';
import type { Relation } from '../shared/domain/patientSchemas';
import type { NoticeVia, PatientNoticeDoc } from '../shared/patients/notices';
import type { ManagedPatient, ManagerRole, PatientLinkDoc } from '../shared/patients/patientRepository';

dayjs.extend(utc);
dayjs.extend(timezone);

export interface PatientCard {
  id: string;
  name: string;
  idType: IdType;
  idNumberMasked: string | null;
  phoneMasked: string;
  sex?: Sex;
  birthDate?: string;
  age?: number;
  relation: Relation;
  role: ManagerRole;
  isDefault: boolean;
  managers?: ManagerView[];
  /** Only in `get`: what changed on this card that the caller should know (newest first). */
  notices?: NoticeView[];
  /** Only for the owner in `get`: who did what for this card, newest first. */
  activity?: { at: string; who: string; what: string }[];
}

export interface NoticeView {
  id: string;
  at: string;
  message: string;
}

export interface ManagerView {
  userId: string;
  /** "张秀英的子女 李*明", or 您 for the caller: never an id. */
  name: string;
  role: ManagerRole;
  relation: Relation;
  since: string;
}

/** Today's date in the hospital's zone, the reference for ages and birth-date checks. */
export function hospitalToday(context: Pick<Context, 'now' | 'config'>): string {
  return dayjs(context.now).tz(context.config.timeZone).format('YYYY-MM-DD');
}

export function toPatientCard(
  context: Context,
  managed: ManagedPatient,
  options: { isDefault: boolean; managers?: PatientLinkDoc[]; managerNames?: Map<string, string> },
): PatientCard {
  const { patient, link } = managed;
  const card: PatientCard = {
    id: patient._id.toHexString(),
    name: patient.name,
    idType: patient.idType,
    idNumberMasked: patient.idNumberSealed ? maskIdNumber(context.pii.decrypt(patient.idNumberSealed)) : null,
    phoneMasked: maskPhone(context.pii.decrypt(patient.phoneSealed)),
    relation: link.relation,
    role: link.role,
    isDefault: options.isDefault,
  };
  if (patient.sex) card.sex = patient.sex;
  if (patient.birthDate) {
    card.birthDate = patient.birthDate;
    card.age = ageOn(patient.birthDate, hospitalToday(context));
  }
  if (options.managers) {
    card.managers = options.managers.map((manager) => ({
      userId: manager.userId.toHexString(),
      name: options.managerNames?.get(manager.userId.toHexString()) ?? '家人',
      role: manager.role,
      relation: manager.relation,
      since: manager.createdAt.toISOString(),
    }));
  }
  return card;
}

const VIA_WORDS: Record<NoticeVia, string> = {
  sms: '通过就诊人登记手机号收到的验证码',
  wechat_phone: '通过与登记手机号一致的微信手机号',
  counter: '在医院服务台核验身份证件后',
};

/** The sentence the owner (or former owner) reads on the card's detail page. */
export function toNoticeView(context: Pick<Context, 'config'>, notice: PatientNoticeDoc): NoticeView {
  const when = dayjs(notice.at).tz(context.config.timeZone).format('M月D日 HH:mm');
  const messages: Record<PatientNoticeDoc['kind'], string> = {
    manager_joined: `${when}，有一位家人${VIA_WORDS[notice.via]}，加入了管理这张就诊卡。如果您不认识这个人，请在下方“家人共享”里移除，并到医院服务台说明情况。`,
    owner_changed: `${when}，就诊人本人${VIA_WORDS[notice.via]}，成为了这张就诊卡的主要管理人。您仍然可以为他/她挂号；如有疑问，请到医院门诊服务台咨询。`,
    phone_changed: `${when}，这张就诊卡的主要管理人用新手机号收到的验证码，修改了登记手机号。您仍然可以照常挂号；如果这不是家人做的，请到医院门诊服务台说明情况。`,
  };
  const message = messages[notice.kind];
  return { id: notice._id.toHexString(), at: notice.at.toISOString(), message };
}
