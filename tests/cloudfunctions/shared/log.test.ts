import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger, scrub } from '../../../cloudfunctions/shared/log';

describe('logs never carry ID or phone numbers', () => {
  it.each([
    ['身份证 11010519491231002X 已绑定', '身份证 [redacted] 已绑定'],
    ['phone=13812345678', 'phone=[redacted]'],
    ['old id 110105491231002', 'old id [redacted]'],
    ['手机 +8613812345678。', '手机 [redacted]。'],
    ['手机 138 1234 5678，', '手机 [redacted]，'],
    ['tel 138-1234-5678 or 0086 139 0000 1111', 'tel [redacted] or [redacted]'],
    ['电话（+86）１３８－１２３４－５６７８', '电话（[redacted]'],
    ['{"mobile":"138\\t1234\\t5678"}', '{"mobile":"[redacted]"}'],
    ['证件 1101 0519 4912 3100 2x', '证件 [redacted]'],
    ['永居证 usa123456789012', '永居证 [redacted]'],
    ['request 5f0c9e0d0b2a4c3d8e1f2a3b', 'request 5f0c9e0d0b2a4c3d8e1f2a3b'],
    ['order YY6b0e2b60e03c8b56d0c64761aB3x9Z, transaction 4200001234202312011234567890', 'order YY6b0e2b60e03c8b56d0c64761aB3x9Z, transaction 4200001234202312011234567890'],
    ['slot 20261129 08:00-08:30, took 1380 ms, 8000 fen', 'slot 20261129 08:00-08:30, took 1380 ms, 8000 fen'],
  ])('%s', (input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  it('scrubs structured fields as well as the message, names by field, numbers and keys too', () => {
    const lines: string[] = [];
    createLogger('info', (line) => lines.push(line)).error('bind failed', {
      detail: 'idNumber 11010519491231002X, phone 13812345678',
      patient: { name: '张秀英', realName: '张秀英', relation: 'parent' },
      phoneAsNumber: 13812345678,
      byPhone: { '138 1234 5678': 1 },
    });
    expect(lines[0]).not.toMatch(/11010519491231002X|13812345678|138 1234 5678|张秀英/);
    expect(JSON.parse(lines[0])).toMatchObject({ patient: { name: '[redacted]', relation: 'parent' }, phoneAsNumber: '[redacted]', byPhone: { '[redacted]': 1 } });
  });
});

describe('no log message is built from personal data', () => {
  // A name cannot be told from other words in free text, so messages are fixed sentences; the few that
  // name a setting or a file take only these values.
  const ALLOWED_IN_MESSAGES = new Set(['what', 'file']);
  const root = path.join(__dirname, '../../../cloudfunctions');
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []));

  it('every log call starts with a string literal, or a template of allowed values only', () => {
    const offending: string[] = [];
    let calls = 0;
    for (const file of sources(root)) {
      const text = readFileSync(file, 'utf8');
      for (const call of text.matchAll(/\blog\.(?:debug|info|warn|error)\(\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`((?:[^`\\]|\\.)*)`|([^)]*))/g)) {
        calls++;
        const [whole, template, other] = call;
        const expressions = template ? [...template.matchAll(/\$\{\s*([^}]*?)\s*\}/g)].map((match) => match[1]) : [];
        if (other !== undefined || expressions.some((expression) => !ALLOWED_IN_MESSAGES.has(expression))) offending.push(`${path.relative(root, file)}: ${whole.slice(0, 120)}`);
      }
    }
    expect(calls).toBeGreaterThan(40);
    expect(offending).toEqual([]);
  });
});
