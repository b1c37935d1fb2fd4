// `npm run check:deploy` (also part of `npm test`): what WeChat cloud would refuse or break on, checked
// before anyone uploads: one timer trigger per function, only the fields config.json may hold, and the
// mini program's syntax floor. Each check returns the problems it found as sentences.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCron } from '../cloudfunctions/local/cron';
import { checkSyntaxFloor, formatViolation, SYNTAX_FLOOR } from './checkSyntaxFloor';

const ROOT = path.resolve(__dirname, '..');
const FUNCTIONS = path.join(ROOT, 'cloudfunctions');

/** Folders under cloudfunctions/ that deploy as functions (they have a config.json). */
export function functionNames(dir = FUNCTIONS): string[] {
  return readdirSync(dir).filter((name) => existsSync(path.join(dir, name, 'config.json')));
}

/**
 * WeChat cloud accepts exactly one timer trigger per function ("目前仅支持一个触发器"); a second is
 * silently never run. config.json knows only `permissions.openapi` and `triggers`; anything else
 * (a timeout, say) is ignored, so it belongs in the deploy configuration instead.
 * @see https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/functions/triggers.html
 */
export function checkFunctionConfigs(dir = FUNCTIONS): string[] {
  const problems: string[] = [];
  for (const name of functionNames(dir)) {
    const file = path.join('cloudfunctions', name, 'config.json');
    const config = JSON.parse(readFileSync(path.join(dir, name, 'config.json'), 'utf8')) as Record<string, unknown>;
    for (const key of Object.keys(config)) if (key !== 'permissions' && key !== 'triggers') problems.push(`${file}: "${key}" is not a config.json field (put it in config/cloudbaserc.json)`);
    const triggers = (config.triggers ?? []) as { name?: unknown; type?: unknown; config?: unknown }[];
    if (!Array.isArray(triggers)) {
      problems.push(`${file}: triggers must be an array`);
      continue;
    }
    if (triggers.length > 1) problems.push(`${file}: ${triggers.length} triggers; WeChat cloud runs only one per function (run the others as jobs behind one tick)`);
    for (const trigger of triggers) {
      if (trigger.type !== 'timer') problems.push(`${file}: trigger "${String(trigger.name)}" is not a timer`);
      try {
        parseCron(String(trigger.config));
      } catch (error) {
        problems.push(`${file}: trigger "${String(trigger.name)}" has a bad 7-field cron: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

export function checkMiniProgramSyntax(distDir = path.join(ROOT, 'dist')): string[] {
  if (!existsSync(distDir)) return [`${path.relative(ROOT, distDir)}/ is missing: run npm run build:weapp first`];
  return checkSyntaxFloor(distDir).violations.map((violation) => `dist/${formatViolation(violation)} (above ES${SYNTAX_FLOOR})`);
}

export function checkDeploy(): string[] {
  return [...checkFunctionConfigs(), ...checkMiniProgramSyntax()];
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  const problems = checkDeploy();
  if (problems.length) {
    console.error(`check:deploy found ${problems.length} problem(s):`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  console.log(`check:deploy: ${functionNames().length} functions, one trigger at most each; dist/ parses as ES${SYNTAX_FLOOR}`);
}
