// `npm run bench:fairness`: a simulated release morning through the local host's HTTP API (X1). 2,000
// humans (arrive over the first 60 s, 2-5 s to read and tap, one more try after a "full") and 50 scripts
// (poll from 5 minutes early every 50-500 ms, fire at release + 0 ms and every 50 ms after, 5 accounts
// each holding the cards of the script's 4 clients), first on a first-come clinic, then on a draw clinic.
// The host's clock is frozen and moved tick by tick (fairnessCrowd.ts), so the 6 minutes run in a few.
// For each clinic: places won per ID by scripts and by humans, humans answered within 1 s, humans ever
// throttled (must be 0), oversold (must be 0); on the draw clinic the win rates with 95 % intervals.
//   npm run bench:fairness [-- --quick] [-- --humans 2000 --scripts 50 --clients 4 --places 100 --early 300 --window 70 --seed 7]
import { rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { ObjectId } from 'mongodb';
import { main as userMain } from '../../cloudfunctions/user';
import { DEV_APPID } from '../../cloudfunctions/local/devIdentities';
import { appointmentsOf } from '../../cloudfunctions/shared/booking/appointments';
import { departmentsOf, slotsOf } from '../../cloudfunctions/shared/catalog/collections';
import { DEFAULT_RELEASE_RULES } from '../../cloudfunctions/shared/catalog/model';
import { seededRandom } from '../../cloudfunctions/shared/domain/releaseDraw';
import { releaseInstant } from '../../cloudfunctions/shared/domain/releaseRules';
import { linkId, linksOf } from '../../cloudfunctions/shared/patients/patientRepository';
import { setRuntime } from '../../cloudfunctions/shared/runtime';
import { recountStrangerCards, scriptingSignsOf } from '../../cloudfunctions/shared/scriptingSigns';
import { loginUser } from '../../cloudfunctions/shared/users/userRepository';
import { quickPatient } from '../support/booking';
import { admin, ADMIN, dayFromToday, seedHospital, ZONE } from '../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../support/runtime';
import { startHostProcess } from '../support/startProcess';
import { addHuman, addScript, Simulation, type Clinic, type Human, type Script } from './fairnessCrowd';
import { machineLine, post } from './httpLoad';

const QUICK = process.argv.includes('--quick');
const flag = (name: string, full: number, quick: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : QUICK ? quick : full;
};
const HUMANS = flag('humans', 2000, 400);
const SCRIPTS = flag('scripts', 50, 10);
const ACCOUNTS_PER_SCRIPT = flag('accounts', 5, 5);
const CLIENTS_PER_SCRIPT = flag('clients', 4, 4);
const PLACES = flag('places', 100, 20);
const EARLY_SECONDS = flag('early', 300, 60);
const ARRIVAL_SECONDS = flag('arrival', 60, 60);
const WINDOW_SECONDS = flag('window', 70, 70);
const SEED = flag('seed', 7, 7);

const SURNAMES = Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤');
const GIVEN = Array.from('秀英华明丽强敏静军磊洋勇艳杰娟涛超芳霞平刚桂兰玉梅建国红志文斌');

interface Population {
  humans: { openid: string; patientId: string }[];
  scripts: { accounts: string[]; clients: string[] }[];
}

/** One department, one doctor, 4 slots of PLACES/4 on `date`; a draw clinic collects for WINDOW_SECONDS. */
async function createClinic(runtime: TestRuntime, label: string, date: string, draw: boolean): Promise<Clinic> {
  const { department } = await admin<{ department: { _id: string } }>({ action: 'saveDepartment', name: draw ? '口腔科' : '皮肤科', locationId: 'opd-3b', common: true });
  const { doctor } = await admin<{ doctor: { _id: string } }>({
    action: 'saveDoctor', departmentId: String(department._id), name: draw ? '李医生' : '王医生', title: '主任医师', specialty: '常见病', intro: '从事临床工作二十年。', feeClass: '专家', feeFen: 0,
  });
  for (let weekday = 1; weekday <= 7; weekday++) {
    await admin({ action: 'saveTemplate', doctorId: String(doctor._id), weekday, period: 'morning', startTime: '08:00', endTime: '10:00', slotMinutes: 30, placesPerSlot: Math.max(1, Math.round(PLACES / 4)), locationId: 'opd-3b' });
  }
  if (draw) await departmentsOf(runtime.db).updateOne({ _id: new ObjectId(String(department._id)) }, { $set: { draw: { windowSeconds: WINDOW_SECONDS } } });
  const opensAt = releaseInstant(date, DEFAULT_RELEASE_RULES, ZONE);
  return { label, doctorId: String(doctor._id), date, opensAt, resultAt: draw ? new Date(opensAt.getTime() + (WINDOW_SECONDS + 1) * 1000) : undefined };
}

async function prepare(random: () => number): Promise<{ dataDir: string; clinics: Clinic[]; people: Population }> {
  const runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  await seedHospital(runtime);
  // Released tomorrow and the day after at 07:00 (7 days ahead): each run starts minutes before its release.
  const clinics = [await createClinic(runtime, 'first-come clinic', dayFromToday(8), false), await createClinic(runtime, 'draw clinic', dayFromToday(9), true)];
  await admin({ action: 'generateSchedules', from: dayFromToday(0), to: dayFromToday(13) });
  await loginUser(runtime.db, { openid: ADMIN, appid: DEV_APPID }, { now: new Date(), grantAdmin: true });
  const name = () => `${SURNAMES[Math.floor(random() * SURNAMES.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}`;
  const people: Population = { humans: [], scripts: [] };
  for (let i = 0; i < HUMANS; i += 100) {
    const batch = Array.from({ length: Math.min(100, HUMANS - i) }, (_, k) => quickPatient(runtime, `human-${i + k}`, { name: name(), appid: DEV_APPID }));
    people.humans.push(...(await Promise.all(batch)));
  }
  for (let s = 0; s < SCRIPTS; s++) {
    const accounts = Array.from({ length: ACCOUNTS_PER_SCRIPT }, (_, a) => `script-${s}-${a}`);
    // The clients' cards, bound on the first account as strangers ('other'), then linked to every other account.
    const clients = [];
    for (let c = 0; c < CLIENTS_PER_SCRIPT; c++) clients.push((await quickPatient(runtime, accounts[0], { name: name(), appid: DEV_APPID })).patientId);
    await linksOf(runtime.db).updateMany({ patientId: { $in: clients.map((id) => new ObjectId(id)) } }, { $set: { relation: 'other' } });
    for (const [a, openid] of accounts.entries()) {
      const user = await loginUser(runtime.db, { openid, appid: DEV_APPID }, { now: new Date(), grantAdmin: false });
      if (a > 0) {
        await linksOf(runtime.db).insertMany(
          clients.map((id) => ({ _id: linkId(user._id, new ObjectId(id)), userId: user._id, patientId: new ObjectId(id), role: 'manager' as const, relation: 'other' as const, via: 'invite' as const, createdAt: new Date() })),
        );
      }
      // What binding and joining the cards would have counted (the patient actions do it after each change).
      await recountStrangerCards(runtime.db, user._id, new Date(), runtime.log);
    }
    people.scripts.push({ accounts, clients });
  }
  setRuntime(undefined);
  await runtime.close();
  return { dataDir: runtime.dataDir, clinics, people };
}

interface Outcome {
  clinic: Clinic;
  humans: Human[];
  scripts: Script[];
  seconds: number;
  requests: number;
}

async function simulate(hostUrl: string, clinic: Clinic, people: Population, random: () => number): Promise<Outcome> {
  const sim = new Simulation(hostUrl, clinic);
  const humans: Human[] = people.humans.map((who) => ({ ...who, slowestMs: 0, throttled: false, taps: 0 }));
  for (const human of humans) addHuman(sim, human, random() * ARRIVAL_SECONDS * 1000, random);
  const untilMs = Math.max(ARRIVAL_SECONDS + 12, clinic.resultAt ? WINDOW_SECONDS + 6 : 0) * 1000;
  const scripts: Script[] = people.scripts.map((script) => ({ ...script, intervalMs: 50 + Math.floor(random() * 451), sent: 0, throttled: 0, refusedUnsent: 0, won: new Set(), entered: new Map() }));
  for (const script of scripts) addScript(sim, script, EARLY_SECONDS * 1000, untilMs);
  if (clinic.resultAt) sim.pauseAt(WINDOW_SECONDS * 1000, 1000);
  const started = performance.now();
  await sim.run(-EARLY_SECONDS * 1000, untilMs + 15_000);
  return { clinic, humans, scripts, seconds: (performance.now() - started) / 1000, requests: sim.requests };
}

/** Wilson score interval for k successes in n, 95 %. */
function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Newcombe's interval for the difference of two proportions (from the two Wilson intervals), 95 %. */
function difference(k1: number, n1: number, k2: number, n2: number): [number, number] {
  const [p1, p2] = [k1 / n1, k2 / n2];
  const [l1, u1] = wilson(k1, n1);
  const [l2, u2] = wilson(k2, n2);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

async function report(outcome: Outcome, dataDir: string): Promise<boolean> {
  const { clinic, humans, scripts } = outcome;
  const check = await openTestRuntime({ dataDir });
  const slots = await slotsOf(check.db).find({ doctorId: new ObjectId(clinic.doctorId), date: clinic.date }).toArray();
  const capacity = slots.reduce((sum, slot) => sum + slot.capacity, 0);
  const won = await appointmentsOf(check.db).find({ slotId: { $in: slots.map((slot) => slot._id) }, status: { $in: ['booked', 'pending_payment'] } }).toArray();
  const winners = new Set(won.map((appointment) => appointment.patientId.toHexString()));
  const oversold = slots.reduce((sum, slot) => sum + Math.max(0, slot.holders.length - slot.capacity) + Math.max(0, -slot.remaining), 0) + Math.max(0, won.length - capacity) + (won.length - winners.size);
  setRuntime(undefined);
  await check.close();
  rmSync(check.dataDir, { recursive: true, force: true });

  const scriptIds = scripts.flatMap((script) => script.clients);
  const scriptWins = scriptIds.filter((id) => winners.has(id)).length;
  const humanWins = humans.filter((human) => winners.has(human.patientId)).length;
  const fast = humans.filter((human) => human.slowestMs < 1000).length;
  const throttled = humans.filter((human) => human.throttled).length;
  const slowest = Math.max(...humans.map((human) => human.slowestMs));
  console.log(`\n== ${clinic.label}${clinic.resultAt ? ` (draw window ${WINDOW_SECONDS} s)` : ''}: ${capacity} places; ${humans.length} humans, ${scripts.length} scripts with ${scriptIds.length} client IDs on ${scripts.length * ACCOUNTS_PER_SCRIPT} accounts`);
  console.log(`simulated ${EARLY_SECONDS + ARRIVAL_SECONDS} s+ of release in ${outcome.seconds.toFixed(0)} s real, ${outcome.requests} requests`);
  console.log(`places won: scripts ${scriptWins} for ${scriptIds.length} IDs (${(scriptWins / scriptIds.length).toFixed(3)} per ID), humans ${humanWins} for ${humans.length} IDs (${(humanWins / humans.length).toFixed(3)} per ID); ${won.length} booked in the store`);
  const tapped = humans.filter((human) => human.tapMs !== undefined);
  console.log(`humans whose tap was answered within 1 s: ${tapped.filter((human) => human.tapMs! < 1000).length} of ${tapped.length} who tapped (the others saw no place left on the page)`);
  console.log(`humans with every answer (page, tap, retry, draw result) within 1 s: ${fast} of ${humans.length}; slowest answer ${slowest.toFixed(0)} ms`);
  if (clinic.resultAt) {
    const entrants = humans.filter((human) => human.resultOnTime !== undefined);
    console.log(`humans in the draw with their result at the promised time (window end + 1 s): ${entrants.filter((human) => human.resultOnTime).length} of ${entrants.length}`);
  }
  console.log(`humans ever throttled: ${throttled} (must be 0)   oversold: ${oversold} (must be 0)   script requests refused by rate limits: ${scripts.reduce((sum, script) => sum + script.throttled, 0)} sent, ${scripts.reduce((sum, script) => sum + script.refusedUnsent, 0)} more due during the waits they were told (not sent)`);
  const [sl, su] = wilson(scriptWins, scriptIds.length);
  const [hl, hu] = wilson(humanWins, humans.length);
  const [dl, du] = difference(scriptWins, scriptIds.length, humanWins, humans.length);
  console.log(`win rate per ID, 95 % CI: script ${pct(scriptWins / scriptIds.length)} [${pct(sl)}, ${pct(su)}]   human ${pct(humanWins / humans.length)} [${pct(hl)}, ${pct(hu)}]`);
  console.log(`script minus human: ${pct(scriptWins / scriptIds.length - humanWins / humans.length)} [${pct(dl)}, ${pct(du)}] -> ${dl > 0 ? "a script's ID wins more often than a human's" : "a script's ID wins no more often than a human's (the interval reaches 0 or below)"}`);
  return throttled === 0 && oversold === 0 && (!clinic.resultAt || dl <= 0);
}

/** The top of the staff list (admin.scriptingSigns over HTTP; it also adds the host's last counts to the store). */
async function topSigns(hostUrl: string): Promise<unknown[]> {
  const agent = new http.Agent();
  const { text } = await post(agent, new URL(`${hostUrl}/api/admin`), JSON.stringify({ action: 'scriptingSigns', limit: 3 }), { 'x-dev-openid': ADMIN });
  agent.destroy();
  return (JSON.parse(text) as { data?: { accounts: unknown[] } }).data?.accounts ?? [];
}

/** The accounts staff see with a sign, against who really was a script (read from the store once the host stopped). */
async function signsSeen(dataDir: string, top: unknown[]): Promise<void> {
  const check = await openTestRuntime({ dataDir });
  const listed = await scriptingSignsOf(check.db).find({ score: { $gt: 0 } }).toArray();
  setRuntime(undefined);
  await check.close();
  rmSync(check.dataDir, { recursive: true, force: true });
  const scripts = listed.filter((doc) => doc.openid.startsWith('script-')).length;
  const humans = listed.filter((doc) => doc.openid.startsWith('human-')).length;
  console.log(`\nscripting signs shown to staff: ${scripts} of ${SCRIPTS * ACCOUNTS_PER_SCRIPT} script accounts, ${humans} of ${HUMANS} human accounts; the top of the list:`);
  for (const entry of top) console.log(`  ${JSON.stringify(entry)}`);
}

async function main() {
  const random = seededRandom(SEED);
  console.log(`bench:fairness on ${machineLine()}; ${os.arch()}, load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  console.log(`command: npm run bench:fairness${QUICK ? ' -- --quick' : ''}  (humans ${HUMANS}, scripts ${SCRIPTS} x ${ACCOUNTS_PER_SCRIPT} accounts x ${CLIENTS_PER_SCRIPT} clients, ${PLACES} places, polling from ${EARLY_SECONDS} s early, seed ${SEED})`);
  const seedStarted = performance.now();
  const { dataDir, clinics, people } = await prepare(random);
  console.log(`seeded ${HUMANS} humans and ${SCRIPTS} scripts with their cards in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);
  const host = await startHostProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', DEV_CLOCK: 'frozen', ADMIN_OPENIDS: ADMIN }, ['--no-build', '--no-seed']);
  const outcomes: Outcome[] = [];
  let top: unknown[] = [];
  try {
    for (const clinic of clinics) outcomes.push(await simulate(host.url, clinic, people, random));
    top = await topSigns(host.url);
  } finally {
    await host.stop();
  }
  await signsSeen(dataDir, top);
  let passed = true;
  for (const outcome of outcomes) passed = (await report(outcome, dataDir)) && passed;
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`\nload average after the run ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  if (!passed) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
