// `npm run check:deploy` (also part of `npm test`): what WeChat cloud would refuse or break on, checked
// before anyone uploads: one timer trigger per function, only the fields config.json may hold, and the
// mini program's syntax floor. Each check returns the problems it found as sentences.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseCron } from '../cloudfunctions/local/cron';
import { PRODUCTION_REQUIREMENTS } from '../cloudfunctions/shared/productionRequirements';
import { checkSyntaxFloor, formatViolation, SYNTAX_FLOOR } from './checkSyntaxFloor';
import { COLD_START_MS, SLOWEST_WAITS, totalMs } from './deployBudget';
import { exampleProductionEnv } from './exampleProductionEnv';

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

interface DeployedFunction {
  name: string;
  runtime?: string;
  timeout?: number;
  memorySize?: number;
  envVariables?: Record<string, string>;
  triggers?: unknown[];
}

export const DEPLOY_CONFIG = path.join(ROOT, 'config', 'cloudbaserc.json');
/** WeChat cloud's limit on one function's environment variables, names and values together. */
export const ENV_LIMIT_BYTES = 4096;
const MEMORY_SIZES = [128, 256, 512, 1024, 2048];

/** The setting names production requires of a function (from the requirements' own messages). */
function requiredSettings(name: string): string[] {
  return PRODUCTION_REQUIREMENTS.filter((requirement) => !requirement.functions || requirement.functions.includes(name)).flatMap((requirement) => {
    const problem = requirement.problem({});
    // "A+B or C": either form satisfies it; the deploy configuration must carry the first.
    return problem && 'missing' in problem ? (problem.missing.split(' or ')[0].match(/[A-Z][A-Z0-9_]+/g) ?? []) : [];
  });
}

/**
 * config/cloudbaserc.json (CloudBase CLI): every function, a Node runtime that has global fetch
 * (18.15+), a timeout longer than the function's slowest chain of waits plus a cold start, the
 * triggers of its config.json, every setting production requires as a {{env.X}} placeholder (no
 * secret is committed).
 */
export function checkDeployConfig(file = DEPLOY_CONFIG, dir = FUNCTIONS): string[] {
  const problems: string[] = [];
  const config = JSON.parse(readFileSync(file, 'utf8')) as { functions?: DeployedFunction[] };
  const deployed = new Map((config.functions ?? []).map((fn) => [fn.name, fn]));
  const where = path.relative(ROOT, file);
  for (const name of functionNames(dir)) {
    const fn = deployed.get(name);
    if (!fn) {
      problems.push(`${where}: function "${name}" is missing`);
      continue;
    }
    const runtime = /^Nodejs(\d+)\.(\d+)$/.exec(fn.runtime ?? '');
    if (!runtime || Number(runtime[1]) < 18 || (Number(runtime[1]) === 18 && Number(runtime[2]) < 15)) problems.push(`${where}: ${name} runtime "${fn.runtime}" must be Nodejs18.15 or newer (global fetch, mongodb 6)`);
    const slowest = SLOWEST_WAITS[name] ?? { action: '(unknown)', waits: [] };
    const neededMs = COLD_START_MS + totalMs(slowest.waits);
    if (typeof fn.timeout !== 'number' || !Number.isInteger(fn.timeout) || fn.timeout < 1 || fn.timeout > 60) problems.push(`${where}: ${name} timeout must be 1-60 seconds`);
    else if (fn.timeout * 1000 < neededMs) problems.push(`${where}: ${name} timeout ${fn.timeout} s is shorter than ${slowest.action}'s waits plus a cold start (${neededMs} ms: ${slowest.waits.map((wait) => wait.what).join(', ')})`);
    if (!MEMORY_SIZES.includes(fn.memorySize ?? 0)) problems.push(`${where}: ${name} memorySize must be one of ${MEMORY_SIZES.join(', ')}`);
    const declared = (JSON.parse(readFileSync(path.join(dir, name, 'config.json'), 'utf8')) as { triggers?: unknown[] }).triggers ?? [];
    if (!isDeepStrictEqual(fn.triggers ?? [], declared)) problems.push(`${where}: ${name} triggers differ from cloudfunctions/${name}/config.json`);
    const env = fn.envVariables ?? {};
    for (const setting of requiredSettings(name)) if (!(setting in env)) problems.push(`${where}: ${name} lacks ${setting}, which production requires`);
    for (const [key, value] of Object.entries(env)) if (value !== `{{env.${key}}}`) problems.push(`${where}: ${name} ${key} must be the placeholder {{env.${key}}}, never a value`);
  }
  for (const name of deployed.keys()) if (!functionNames(dir).includes(name)) problems.push(`${where}: "${name}" is not a function in cloudfunctions/`);
  return problems;
}

/** Bytes of environment each function would carry with a realistic production configuration. */
export function environmentSizes(file = DEPLOY_CONFIG, env = exampleProductionEnv()): Record<string, number> {
  const config = JSON.parse(readFileSync(file, 'utf8')) as { functions: DeployedFunction[] };
  return Object.fromEntries(
    config.functions.map((fn) => [fn.name, Object.keys(fn.envVariables ?? {}).reduce((total, key) => total + (env[key] === undefined ? 0 : Buffer.byteLength(key) + Buffer.byteLength(env[key])), 0)]),
  );
}

export function checkEnvironmentSize(file = DEPLOY_CONFIG): string[] {
  return Object.entries(environmentSizes(file))
    .filter(([, bytes]) => bytes > ENV_LIMIT_BYTES)
    .map(([name, bytes]) => `${name}: a realistic production environment takes ${bytes} bytes, over WeChat cloud's ${ENV_LIMIT_BYTES}`);
}

export function checkDeploy(): string[] {
  return [...checkFunctionConfigs(), ...checkDeployConfig(), ...checkEnvironmentSize(), ...checkMiniProgramSyntax()];
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  const problems = checkDeploy();
  if (problems.length) {
    console.error(`check:deploy found ${problems.length} problem(s):`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  const sizes = Object.entries(environmentSizes()).map(([name, bytes]) => `${name} ${bytes} B`).join(', ');
  console.log(`check:deploy: ${functionNames().length} functions, one trigger at most each, timeouts cover their waits, environment within ${ENV_LIMIT_BYTES} B (${sizes}); dist/ parses as ES${SYNTAX_FLOOR}`);
}
