/** 就诊须知 (N3): what staff may store, which notes a visit reads, and the short form a WeChat `thing` value can hold. */
import { valueProblem } from '../../../../cloudfunctions/local/messageStandIn';
import { cleanPreparation, effectivePreparation, PREPARATION_MAX_CHARS, preparationSchema, preparationShortForm, SEE_PREPARATION } from '../../../../cloudfunctions/shared/domain/preparationNotes';
import { DEMO_TEMPLATES, templateData } from '../../../../cloudfunctions/shared/messages/templates';

const EMOJI_NOTES = '请带上疫苗本📘和玩具🧸👨‍👩‍👧，家长陪同。其余见诊室门口告示。';
const RARE_NOTES = '𠮷𡈽龘医生的病人请空腹𠀋𤭢𪚥。';

describe('preparationSchema', () => {
  it.each([
    ['plain text stays', '空腹抽血。带既往病历。', '空腹抽血。带既往病历。'],
    ['Windows line breaks and trailing spaces', '1. 空腹  \r\n2. 带病历\r\n', '1. 空腹\n2. 带病历'],
    ['many empty lines become one', '空腹\n\n\n\n带病历', '空腹\n\n带病历'],
    ['control characters become spaces', '空腹\u0007抽血\t早到', '空腹 抽血 早到'],
    ['only spaces is no notes', '   \n  ', ''],
  ])('%s', (_name, input, expected) => {
    expect(preparationSchema.parse(input)).toBe(expected);
  });

  it.each([
    ['exactly the limit in 生僻字 (code points, not UTF-16 units)', '𠮷'.repeat(PREPARATION_MAX_CHARS), true],
    ['one over the limit', '空'.repeat(PREPARATION_MAX_CHARS + 1), false],
    ['the limit after trimming', `  ${'空'.repeat(PREPARATION_MAX_CHARS)}  `, true],
  ])('length: %s', (_name, input, ok) => {
    const parsed = preparationSchema.safeParse(input);
    expect(parsed.success).toBe(ok);
    if (!parsed.success) expect(parsed.error.issues[0].message).toBe(`就诊须知最多 ${PREPARATION_MAX_CHARS} 字，请写最要紧的几条`);
  });

  it.each([[42], [null], [['空腹']], [{ text: '空腹' }]])('not text (%j) is refused with a sentence', (input) => {
    const parsed = preparationSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0].message).toBe('就诊须知请填写文字');
  });
});

describe('effectivePreparation', () => {
  it.each([
    ['the doctor overrides the clinic', { preparation: '医生的' }, { preparation: '科室的' }, { preparation: '大科的' }, '医生的'],
    ['a blank doctor note follows the clinic', { preparation: '  ' }, { preparation: '科室的' }, undefined, '科室的'],
    ['a clinic without notes follows its first-level department', {}, { preparation: '' }, { preparation: '大科的' }, '大科的'],
    ['nothing anywhere', null, null, null, ''],
  ])('%s', (_name, doctor, clinic, parent, expected) => {
    expect(effectivePreparation(doctor, clinic, parent)).toBe(expected);
  });
});

describe('preparationShortForm (a WeChat thing value, 20 characters)', () => {
  it.each([
    ['the first sentence when it fits', '做胃镜前 8 小时请不要吃东西、喝水。请带上以前的报告。', '做胃镜前 8 小时请不要吃东西、喝水'],
    ['the first line of a list, its number dropped', '1. 空腹抽血\n2. 带既往病历', '空腹抽血'],
    ['一、 numbering dropped too', '一、请提前30分钟到\n二、带病历', '请提前30分钟到'],
    ['a decimal is not a list number', '1.5 小时前到就行。', '1.5 小时前到就行'],
    ['a first sentence too long is never cut: the slip has it whole', '需要查空腹血糖、血脂的，前一天晚上 10 点以后请不要再吃东西。', SEE_PREPARATION],
    ['emoji counted by code point, over 20', EMOJI_NOTES, SEE_PREPARATION],
    ['生僻字 count one each and fit', RARE_NOTES, '𠮷𡈽龘医生的病人请空腹𠀋𤭢𪚥'],
    ['no notes, no short form', '', ''],
    ['punctuation only', '。。！\n', ''],
  ])('%s', (_name, notes, expected) => {
    const short = preparationShortForm(notes);
    expect(short).toBe(expected);
    expect([...short].length).toBeLessThanOrEqual(20);
  });

  it.each([['long', '需要查空腹血糖、血脂的，前一天晚上 10 点以后请不要再吃东西。'], ['emoji', EMOJI_NOTES], ['生僻字', RARE_NOTES], ['list', '1. 空腹抽血\n2. 带既往病历']])(
    '%s notes: the reminder template takes the short form as it is (the stand-in checks every value)',
    (_name, notes) => {
      const template = DEMO_TEMPLATES.visit_reminder!;
      const tipKey = Object.entries(template.keys).find(([, fact]) => fact === 'tip')![0];
      const data = templateData(template, { tip: preparationShortForm(notes) || '带上身份证或医保卡和以前的检查报告' });
      expect(valueProblem('thing', data[tipKey].value)).toBeUndefined();
      expect(data[tipKey].value).toBe(preparationShortForm(notes));
    },
  );

  it('cleanPreparation keeps single line breaks for the slip', () => {
    expect(cleanPreparation('空腹\n带病历')).toBe('空腹\n带病历');
  });
});
