/** Each event's values fit WeChat's per-type limits, whatever the names: checked by the stand-in's own rules. */
import { valueProblem } from '../../../../cloudfunctions/local/messageStandIn';
import { cutText, DEMO_TEMPLATES, formatAmount, formatVisitTime, keyType, templateData, valueFor, type MessageFacts } from '../../../../cloudfunctions/shared/messages/templates';
import { parseMessageSettings } from '../../../../cloudfunctions/shared/messages/messageSettings';

const LONG_DOCTOR = '欧阳娜娜娜娜娜娜娜娜娜娜 主任医师（特需门诊、国际医疗部）';
const LONG_DEPARTMENT = '消化内科胃肠镜检查与治疗中心（门诊楼三楼东侧B区）';
const EMOJI = '王👨‍👩‍👧小明👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽';
const RARE = '𠀋𡈽𤭢𪚥龘𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷';

const factsCases: [string, MessageFacts][] = [
  ['plain', { patient: '张秀英', department: '皮肤科', doctor: '王建国 主治医师', visitTime: formatVisitTime('2026-12-02', '08:00', '08:30'), place: '门诊楼 3 楼 B 区', amount: formatAmount(2500), status: '预约成功', tip: '请提前10分钟到门诊楼 3 楼 B 区候诊' }],
  ['long doctor and department names', { patient: '买买提·艾力江·阿不都热合曼', department: LONG_DEPARTMENT, doctor: LONG_DOCTOR, visitTime: formatVisitTime('2026-12-02', '13:30', '14:00'), place: `${LONG_DEPARTMENT}\n二楼`, amount: formatAmount(123456789), status: '家人代约', tip: `家人为您预约，请按时就诊。${LONG_DEPARTMENT}` }],
  ['emoji', { patient: EMOJI, department: `${EMOJI}科`, doctor: EMOJI, visitTime: formatVisitTime('2026-01-09', '09:00'), place: EMOJI, amount: formatAmount(0), status: '已退款😀', tip: EMOJI }],
  ['生僻字 outside the basic plane', { patient: '𠮷𡈽龘', department: RARE, doctor: `${RARE}医生`, visitTime: formatVisitTime('2026-12-31', '23:30', '23:59'), place: RARE, amount: formatAmount(5), status: '停诊', tip: RARE }],
];

describe('template values', () => {
  it.each(factsCases)('%s: every demo template takes the values as they are cut', (_name, facts) => {
    for (const template of Object.values(DEMO_TEMPLATES)) {
      const data = templateData(template, facts);
      for (const [key, { value }] of Object.entries(data)) expect([key, valueProblem(keyType(key)!, value)]).toEqual([key, undefined]);
    }
  });

  it.each([
    ['short stays as it is', '皮肤科', 20, '皮肤科'],
    ['cut to 19 and an ellipsis', LONG_DEPARTMENT, 20, `${[...LONG_DEPARTMENT].slice(0, 19).join('')}…`],
    ['newlines become spaces', '门诊楼\n三楼\r\nB区', 20, '门诊楼 三楼 B区'],
    ['an emoji family is never split', '挂号👨‍👩‍👧', 4, '挂号…'],
    ['a skin tone stays on its hand', '好👍🏽👍🏽', 4, '好👍🏽…'],
    ['生僻字 count as one character each', '𠮷𠮷𠮷𠮷𠮷', 3, '𠮷𠮷…'],
  ])('cutText: %s', (_name, input, max, expected) => {
    const cut = cutText(input, max);
    expect(cut).toBe(expected);
    expect([...cut].length).toBeLessThanOrEqual(max);
    expect(cut).not.toMatch(/[\uD800-\uDBFF]$/); // never half a surrogate pair
  });

  it.each([
    ['phrase', '预约成功啦朋友们', '预约成功啦'],
    ['phrase', '已退款😀', '已退款'],
    ['name', '买买提·艾力江·阿不都热合曼', '买买提艾力江阿不都热'],
    ['name', 'Zhang Xiuying', 'Zhang Xiuying'],
    ['name', '王👨‍👩‍👧小明', '王小明'],
    ['character_string', '挂号A12-3', 'A12-3'],
  ] as const)('valueFor %s(%s) = %s', (type, raw, expected) => {
    expect(valueFor(type, raw)).toBe(expected);
    expect(valueProblem(type, valueFor(type, raw))).toBeUndefined();
  });

  it('the stand-in refuses what WeChat refuses', () => {
    expect(valueProblem('thing', 'a'.repeat(21))).toBe('is longer than 20');
    expect(valueProblem('thing', '第一行\n第二行')).toBe('has a line break');
    expect(valueProblem('phrase', '预约成功了吗')).toBeDefined();
    expect(valueProblem('time', '2026年12月02日 25:00')).toBeDefined();
    expect(valueProblem('time', '2026年12月02日 08:00~08:30')).toBeUndefined();
    expect(valueProblem('amount', '¥25.00元')).toBeDefined();
    expect(valueProblem('amount', '¥12345678901')).toBeDefined();
    expect(valueProblem('amount', '25元')).toBeUndefined();
    expect(valueProblem('phone_number', '+86-138-1234-5678-90')).toBeDefined();
    expect(valueProblem('character_string', '中文')).toBeDefined();
  });
});

describe('message settings', () => {
  it('reads templates, the reminder hour and the mini program version; refuses a bad one by name', () => {
    const settings = parseMessageSettings({ NODE_ENV: 'production', MESSAGE_TEMPLATES: JSON.stringify({ visit_reminder: { id: 'abc_DEF-123', kind: 'long', keys: { thing1: 'tip' } } }), MESSAGE_REMINDER_AT: '19:30' });
    expect(settings).toEqual({ templates: { visit_reminder: { id: 'abc_DEF-123', kind: 'long', keys: { thing1: 'tip' } } }, reminderAt: '19:30', visitDayAt: null, miniprogramState: 'formal' });
    expect(parseMessageSettings({}).templates).toBe(DEMO_TEMPLATES);
    // The visit-day morning reminder is off unless the hospital sets its hour.
    expect(parseMessageSettings({ MESSAGE_VISIT_DAY_AT: '07:00' }).visitDayAt).toBe('07:00');
    expect(parseMessageSettings({ MESSAGE_VISIT_DAY_AT: '' }).visitDayAt).toBeNull();
    expect(() => parseMessageSettings({ MESSAGE_VISIT_DAY_AT: '7:00' })).toThrow('MESSAGE_VISIT_DAY_AT must be HH:mm');
    expect(() => parseMessageSettings({ MESSAGE_REMINDER_AT: '6pm' })).toThrow('MESSAGE_REMINDER_AT must be HH:mm');
    expect(() => parseMessageSettings({ MESSAGE_TEMPLATES: '{"visit_reminder":{"id":"x","kind":"once","keys":{"note1":"tip"}}}' })).toThrow('MESSAGE_TEMPLATES.visit_reminder.keys');
    expect(() => parseMessageSettings({ MESSAGE_TEMPLATES: '{' })).toThrow('MESSAGE_TEMPLATES must be JSON');
  });
});
