// What staff put on the patients' home page: 公告 (post, edit, take down, list) and the hospital's
// address, phone and map point. Admin only; every change is audited and rate limited.
import { ObjectId } from 'mongodb';
import { z } from 'zod';
import { catalogCache } from '../shared/catalog/catalogCache';
import { HOSPITAL_ID, hospitalsOf } from '../shared/catalog/collections';
import type { UserContext } from '../shared/context';
import { defineAction } from '../shared/createMain';
import { NOTICE_STATE_LABELS, noticeDatesLabel, noticeState } from '../shared/domain/notices';
import { dateIn, isCalendarDate } from '../shared/domain/releaseRules';
import { AppError } from '../shared/errors';
import { noticesOf, type NoticeDoc } from '../shared/notices/noticeRepository';
import { limitCaller, RATE_RULES } from '../shared/rateLimit';
import { auditAdmin } from './requireAdmin';

/** A notice shown longer than this is a rule, not a notice: it belongs in the department's intro. */
const MAX_NOTICE_DAYS = 366;

const objectId = (message: string) => z.string({ error: message }).regex(/^[0-9a-f]{24}$/, message);
const day = (label: string) => z.string({ error: `请选择${label}` }).refine(isCalendarDate, `${label}请按 年-月-日 填写，例如 2027-02-01`);

const bothDates = (notice: { from: string; until: string }) => isCalendarDate(notice.from) && isCalendarDate(notice.until);

export const saveNoticeSchema = z
  .object({
    id: objectId('公告编号不对').optional(),
    title: z.string({ error: '请填写公告标题' }).trim().min(2, '公告标题至少 2 个字').max(30, '公告标题最多 30 个字'),
    body: z.string({ error: '请填写公告内容' }).trim().min(2, '公告内容至少 2 个字').max(1000, '公告内容最多 1000 字'),
    from: day('开始日期'),
    until: day('结束日期'),
  })
  // Compared only once both are real dates, so a mistyped date is reported once, on its own field.
  .refine((notice) => !bothDates(notice) || notice.until >= notice.from, { message: '结束日期不能早于开始日期', path: ['until'] })
  .refine((notice) => !bothDates(notice) || (Date.parse(notice.until) - Date.parse(notice.from)) / 86_400_000 < MAX_NOTICE_DAYS, {
    message: `一条公告最多展示 ${MAX_NOTICE_DAYS} 天，长期有效的说明请写在科室介绍里`,
    path: ['until'],
  });

export const hospitalContactSchema = z.object({
  campusId: z.string({ error: '请选择院区' }).min(1, '请选择院区').max(40),
  address: z.string({ error: '请填写地址' }).trim().min(5, '地址至少 5 个字').max(100, '地址最多 100 字'),
  // Landlines with area code and extension, mobiles, 400/800 numbers, 12320: digits with - and spaces.
  phone: z
    .string({ error: '请填写咨询电话' })
    .trim()
    .regex(/^\+?[\d][\d\s-]{3,18}\d$/, '电话号码只能有数字、空格和短横线，例如 025-8000 0100'),
  latitude: z.number({ error: '请填写纬度' }).min(-90, '纬度在 -90 到 90 之间').max(90, '纬度在 -90 到 90 之间'),
  longitude: z.number({ error: '请填写经度' }).min(-180, '经度在 -180 到 180 之间').max(180, '经度在 -180 到 180 之间'),
});

async function hospitalToday(context: UserContext): Promise<string> {
  const zone = (await hospitalsOf(context.db).findOne({ _id: HOSPITAL_ID }))?.timeZone ?? context.config.timeZone;
  return dateIn(context.now, zone);
}

function toAdminNotice(notice: NoticeDoc, today: string) {
  const state = noticeState(notice, today);
  return {
    id: notice._id.toHexString(),
    title: notice.title,
    body: notice.body,
    from: notice.from,
    until: notice.until,
    dates: noticeDatesLabel(notice.from, notice.until),
    state,
    stateLabel: NOTICE_STATE_LABELS[state],
    updatedAt: notice.updatedAt.toISOString(),
  };
}

export const homeContentActions = {
  notices: defineAction({
    auth: 'admin',
    input: z.object({}),
    async run(context) {
      const today = await hospitalToday(context);
      const notices = await noticesOf(context.db).find({}).sort({ updatedAt: -1 }).limit(100).toArray();
      return { notices: notices.map((notice) => toAdminNotice(notice, today)) };
    },
  }),

  /** Posts a notice, or (with `id`) changes one; saving a taken-down notice puts it up again. */
  saveNotice: defineAction({
    auth: 'admin',
    input: saveNoticeSchema,
    async run(context, input) {
      await limitCaller(context, RATE_RULES.homeEditsPerUser);
      const fields = { title: input.title, body: input.body, from: input.from, until: input.until, published: true, updatedAt: context.now, updatedBy: context.user._id };
      const id = input.id ? new ObjectId(input.id) : new ObjectId();
      const saved = input.id
        ? await noticesOf(context.db).findOneAndUpdate({ _id: id }, { $set: fields }, { returnDocument: 'after' })
        : (await noticesOf(context.db).insertOne({ _id: id, ...fields, createdAt: context.now }), { _id: id, ...fields, createdAt: context.now });
      if (!saved) throw new AppError('NOT_FOUND', '没有找到这条公告，可能已被删除，请刷新后再试。');
      await auditAdmin(context, input.id ? 'editNotice' : 'postNotice', { targetId: id, title: input.title, from: input.from, until: input.until });
      return { notice: toAdminNotice(saved, await hospitalToday(context)) };
    },
  }),

  /** Takes a notice off the home page at once; it stays listed for staff as 已撤下. */
  unpublishNotice: defineAction({
    auth: 'admin',
    input: z.object({ id: objectId('公告编号不对') }),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.homeEditsPerUser);
      const id = new ObjectId(input.id);
      const saved = await noticesOf(context.db).findOneAndUpdate(
        { _id: id },
        { $set: { published: false, updatedAt: context.now, updatedBy: context.user._id } },
        { returnDocument: 'after' },
      );
      if (!saved) throw new AppError('NOT_FOUND', '没有找到这条公告，可能已被删除，请刷新后再试。');
      await auditAdmin(context, 'unpublishNotice', { targetId: id, title: saved.title });
      return { notice: toAdminNotice(saved, await hospitalToday(context)) };
    },
  }),

  /** The address, 咨询电话 and map point patients see on the home page, per campus. */
  saveHospitalContact: defineAction({
    auth: 'admin',
    input: hospitalContactSchema,
    async run(context, input) {
      await limitCaller(context, RATE_RULES.homeEditsPerUser);
      const { campusId, ...contact } = input;
      const hospital = await hospitalsOf(context.db).findOne({ _id: HOSPITAL_ID });
      const campus = hospital?.campuses.find((entry) => entry.id === campusId);
      if (!hospital || !campus) throw new AppError('NOT_FOUND', '没有找到这个院区，请刷新后再选。');
      const campuses = hospital.campuses.map((entry) => (entry.id === campusId ? { ...entry, ...contact } : entry));
      await hospitalsOf(context.db).updateOne({ _id: HOSPITAL_ID }, { $set: { campuses } });
      catalogCache.invalidate();
      await auditAdmin(context, 'saveHospitalContact', { campusId, ...contact });
      return { campus: { ...campus, ...contact } };
    },
  }),
};
