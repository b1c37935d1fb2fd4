// The `catalog` actions behind the home page: 公告 showing today, and one search over departments and
// doctors (name or 擅长). Server side rather than in the page: the home page has only the departments
// loaded, and sending every doctor with their texts to each phone costs more than one small answer.
import { z } from 'zod';
import { catalogCache } from '../shared/catalog/catalogCache';
import { searchDoctors } from '../shared/catalog/doctorSearch';
import { searchDepartments } from '../shared/catalog/pinyin';
import type { IdentityContext } from '../shared/context';
import { defineAction } from '../shared/createMain';
import { noticeDatesLabel, noticePreview } from '../shared/domain/notices';
import { dateIn } from '../shared/domain/releaseRules';
import { currentNotices } from '../shared/notices/noticeRepository';
import { limitCaller, RATE_RULES } from '../shared/rateLimit';
import { toDepartmentView, toDoctorView } from './views';

async function hospitalZone(context: IdentityContext): Promise<string> {
  return (await catalogCache.hospital(context.db))?.timeZone ?? context.config.timeZone;
}

export const homeActions = {
  notices: defineAction({
    auth: 'identity',
    input: z.object({}),
    async run(context) {
      await limitCaller(context, RATE_RULES.noticesPerCaller);
      const notices = await currentNotices(context.db, dateIn(context.now, await hospitalZone(context)));
      return {
        notices: notices.map((notice) => ({
          id: notice._id.toHexString(),
          title: notice.title,
          preview: noticePreview(notice.body),
          body: notice.body,
          dates: noticeDatesLabel(notice.from, notice.until),
        })),
      };
    },
  }),

  search: defineAction({
    auth: 'identity',
    input: z.object({
      keyword: z.string({ error: '请输入要找的科室、医生或病症' }).trim().min(1, '请输入要找的科室、医生或病症').max(40, '搜索词太长了，请简短一些'),
    }),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.catalogSearchPerCaller);
      const [departments, doctors] = await Promise.all([catalogCache.departments(context.db), catalogCache.activeDoctors(context.db)]);
      const names = new Map(departments.map((department) => [department._id.toHexString(), department.name]));
      const found = searchDoctors(input.keyword, doctors)
        .filter((doctor) => names.has(doctor.departmentId.toHexString()))
        .map((doctor) => ({ ...toDoctorView(doctor), departmentName: names.get(doctor.departmentId.toHexString())! }));
      return { departments: searchDepartments(input.keyword, departments).map(toDepartmentView), doctors: found };
    },
  }),
};
