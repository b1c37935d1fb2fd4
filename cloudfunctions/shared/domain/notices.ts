// 公告 on the home page: which notices are shown on a given day, and how their dates and previews read.
// Days are calendar dates ('YYYY-MM-DD') in the hospital's zone; both ends are included, so a notice
// "1月25日至2月5日" is still up all of 2月5日 and gone on 2月6日.

export interface NoticeWindow {
  published: boolean;
  from: string;
  until: string;
}

export type NoticeState = 'showing' | 'upcoming' | 'ended' | 'unpublished';

export const NOTICE_STATE_LABELS: Record<NoticeState, string> = { showing: '展示中', upcoming: '未开始', ended: '已结束', unpublished: '已撤下' };

export function noticeState(notice: NoticeWindow, today: string): NoticeState {
  if (!notice.published) return 'unpublished';
  if (today < notice.from) return 'upcoming';
  if (today > notice.until) return 'ended';
  return 'showing';
}

const monthDay = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** "1月25日至2月5日", or "2月1日" for a one-day notice; the year only when the ends fall in different years. */
export function noticeDatesLabel(from: string, until: string): string {
  if (from === until) return monthDay(from);
  const sameYear = from.slice(0, 4) === until.slice(0, 4);
  const end = sameYear ? monthDay(until) : `${until.slice(0, 4)}年${monthDay(until)}`;
  return `${sameYear ? '' : `${from.slice(0, 4)}年`}${monthDay(from)}至${end}`;
}

export const NOTICE_PREVIEW_CHARS = 40;

/** The first line, cut to NOTICE_PREVIEW_CHARS with "…", so the home page stays short. */
export function noticePreview(body: string): string {
  const firstLine = body.trim().split(/\r?\n/)[0].trim();
  const chars = [...firstLine];
  const cut = chars.length > NOTICE_PREVIEW_CHARS;
  return cut || firstLine !== body.trim() ? `${chars.slice(0, NOTICE_PREVIEW_CHARS).join('')}…` : firstLine;
}
