import { createLogger, scrub } from '../../../cloudfunctions/shared/log';

describe('logs never carry ID or phone numbers', () => {
  it.each([
    ['身份证 11010519491231002X 已绑定', '身份证 [redacted] 已绑定'],
    ['phone=13812345678', 'phone=[redacted]'],
    ['old id 110105491231002', 'old id [redacted]'],
    ['request 5f0c9e0d0b2a4c3d8e1f2a3b', 'request 5f0c9e0d0b2a4c3d8e1f2a3b'],
    ['slot 20261129', 'slot 20261129'],
  ])('%s', (input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  it('scrubs structured fields as well as the message', () => {
    const lines: string[] = [];
    createLogger('info', (line) => lines.push(line)).error('bind failed', { detail: 'idNumber 11010519491231002X, phone 13812345678' });
    expect(lines[0]).not.toMatch(/11010519491231002X|13812345678/);
  });
});
