/** check:deploy's function-config rules: what WeChat cloud would silently ignore is caught before upload. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkFunctionConfigs, functionNames } from '../../config/checkDeploy';
import { tempDir } from '../support/runtime';

it('finds every function in the repository with one timer trigger at most and only known fields', () => {
  expect(functionNames()).toEqual(expect.arrayContaining(['admin', 'booking', 'catalog', 'patient', 'payment', 'user']));
  expect(checkFunctionConfigs()).toEqual([]);
});

describe('a bad config.json', () => {
  let dir: string;
  const write = (name: string, config: unknown) => {
    mkdirSync(path.join(dir, name), { recursive: true });
    writeFileSync(path.join(dir, name, 'config.json'), JSON.stringify(config));
  };
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [
      'two timers (the second would never run)',
      { triggers: [{ name: 'sweep', type: 'timer', config: '0 * * * * * *' }, { name: 'reconcile', type: 'timer', config: '0 30 10 * * * *' }] },
      /2 triggers; WeChat cloud runs only one per function/,
    ],
    ['a timeout, which config.json does not know', { timeout: 20, triggers: [] }, /"timeout" is not a config.json field/],
    ['a 6-field cron', { triggers: [{ name: 'tick', type: 'timer', config: '* * * * * *' }] }, /bad 7-field cron/],
    ['a trigger that is not a timer', { triggers: [{ name: 'tick', type: 'http', config: '0 * * * * * *' }] }, /is not a timer/],
  ])('%s', (_name, config, problem) => {
    write('fn', config);
    expect(checkFunctionConfigs(dir)).toEqual([expect.stringMatching(problem)]);
  });
});
