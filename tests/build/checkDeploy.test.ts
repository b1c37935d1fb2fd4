/** check:deploy's function-config rules: what WeChat cloud would silently ignore is caught before upload. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { checkDeployConfig, checkEnvironmentSize, checkFunctionConfigs, DEPLOY_CONFIG, ENV_LIMIT_BYTES, environmentSizes, functionNames } from '../../config/checkDeploy';
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

describe('config/cloudbaserc.json', () => {
  it('deploys every function on Node 18.15+, with timeouts that cover its waits, its triggers and every required setting', () => {
    expect(checkDeployConfig()).toEqual([]);
  });

  it("fits a realistic production environment in each function's 4 KB", () => {
    expect(checkEnvironmentSize()).toEqual([]);
    const sizes = environmentSizes();
    expect(Object.keys(sizes).length).toBeGreaterThan(0);
    expect(Math.max(...Object.values(sizes))).toBeLessThanOrEqual(ENV_LIMIT_BYTES);
    // The payment settings go only where payments are made.
    expect(sizes.catalog).toBeLessThan(1024);
  });

  describe('refuses', () => {
    let dir: string;
    const variant = (change: (config: { functions: Record<string, unknown>[] }) => void) => {
      const config = JSON.parse(readFileSync(DEPLOY_CONFIG, 'utf8')) as { functions: Record<string, unknown>[] };
      change(config);
      const file = path.join(dir, 'cloudbaserc.json');
      writeFileSync(file, JSON.stringify(config));
      return checkDeployConfig(file);
    };
    const fn = (config: { functions: Record<string, unknown>[] }, name: string) => config.functions.find((entry) => entry.name === name)!;
    beforeEach(() => {
      dir = tempDir();
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it.each([
      ['the 3 s default for a function that waits on the HIS', (c: { functions: Record<string, unknown>[] }) => (fn(c, 'patient').timeout = 3), /patient timeout 3 s is shorter than proveWithWechatPhone \(a person new here\)'s waits/],
      ['Node 16', (c: { functions: Record<string, unknown>[] }) => (fn(c, 'user').runtime = 'Nodejs16.13'), /user runtime "Nodejs16.13" must be Nodejs18.15 or newer/],
      ['a secret written into the file', (c: { functions: Record<string, unknown>[] }) => ((fn(c, 'payment').envVariables as Record<string, string>).WXPAY_APIV3_KEY = '0123456789abcdef0123456789abcdef'), /payment WXPAY_APIV3_KEY must be the placeholder/],
      ['a missing required setting', (c: { functions: Record<string, unknown>[] }) => delete (fn(c, 'booking').envVariables as Record<string, string>).HIS_SECRET, /booking lacks HIS_SECRET/],
      ['a second timer', (c: { functions: Record<string, unknown>[] }) => (fn(c, 'payment').triggers as unknown[]).push({ name: 'reconcile', type: 'timer', config: '0 30 10 * * * *' }), /payment triggers differ/],
      ['a function left out', (c: { functions: Record<string, unknown>[] }) => c.functions.splice(c.functions.findIndex((entry) => entry.name === 'admin'), 1), /function "admin" is missing/],
    ])('%s', (_name, change, problem) => {
      expect(variant(change)).toEqual([expect.stringMatching(problem)]);
    });
  });
});
