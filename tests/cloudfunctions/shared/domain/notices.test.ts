import { noticeDatesLabel, noticePreview, noticeState, NOTICE_PREVIEW_CHARS } from '../../../../cloudfunctions/shared/domain/notices';

describe('noticeState: both ends of a notice are shown days', () => {
  const notice = { published: true, from: '2027-02-01', until: '2027-02-07' };
  it.each([
    ['2027-01-31', 'upcoming'],
    ['2027-02-01', 'showing'],
    ['2027-02-07', 'showing'],
    ['2027-02-08', 'ended'],
  ] as const)('on %s it is %s', (today, state) => {
    expect(noticeState(notice, today)).toBe(state);
  });
  it('a taken-down notice is never shown, even inside its dates', () => {
    expect(noticeState({ ...notice, published: false }, '2027-02-03')).toBe('unpublished');
  });
});

describe('noticeDatesLabel', () => {
  it.each([
    ['2027-02-01', '2027-02-01', '2月1日'],
    ['2027-01-25', '2027-02-05', '1月25日至2月5日'],
    ['2026-12-28', '2027-01-03', '2026年12月28日至2027年1月3日'],
  ])('%s to %s reads %s', (from, until, label) => {
    expect(noticeDatesLabel(from, until)).toBe(label);
  });
});

describe('noticePreview', () => {
  it.each([
    ['地下车库已满，请停东门。', '地下车库已满，请停东门。'],
    ['  第一行说明。\n第二行细节。', '第一行说明。…'],
    ['长'.repeat(NOTICE_PREVIEW_CHARS + 1), `${'长'.repeat(NOTICE_PREVIEW_CHARS)}…`],
    ['长'.repeat(NOTICE_PREVIEW_CHARS), '长'.repeat(NOTICE_PREVIEW_CHARS)],
  ])('%j previews as %j', (body, preview) => {
    expect(noticePreview(body)).toBe(preview);
  });
});
