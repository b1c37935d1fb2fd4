// A small closed-loop HTTP load generator for the benches: N keep-alive workers for a fixed time.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

export function post(agent: http.Agent, url: URL, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export async function runLoad(options: {
  url: string;
  body: () => string;
  headers?: Record<string, string>;
  concurrency: number;
  seconds: number;
  accept?: (status: number, text: string) => boolean;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const url = new URL(options.url);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const { status, text } = await post(agent, url, options.body(), options.headers ?? {});
        if (options.accept ? !options.accept(status, text) : status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, seconds, perSecond: latencies.length / seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

export function machineLine(): string {
  return `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

export function formatLoad(label: string, result: LoadResult): string {
  return `${label.padEnd(34)} ${result.perSecond.toFixed(0).padStart(7)} req/s   p50 ${result.p50.toFixed(1)} ms   p95 ${result.p95.toFixed(1)} ms   p99 ${result.p99.toFixed(1)} ms   errors ${result.errors}`;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU seconds (user + system, all threads) a process has used so far, from Linux's /proc; undefined elsewhere. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name in parentheses: state is field 3, utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

export interface CpuShare {
  /** Host CPU per answer, in microseconds. */
  hostMicros: number;
  /** Share of one core each process kept busy over the run. */
  hostBusy: number;
  loadBusy: number;
}

/**
 * Where a run's CPU went: the host's per answer, and how busy host and load generator (this process) were.
 * On a shared machine req/s moves with the neighbours; CPU per answer moves much less, and a load generator
 * near 100 % of a core means the run measured the load generator, not the host.
 */
export async function withCpu<T>(hostPid: number | undefined, answers: (result: T) => number, run: () => Promise<T>): Promise<{ result: T; cpu?: CpuShare }> {
  const hostBefore = hostPid === undefined ? undefined : processCpuSeconds(hostPid);
  const loadBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const hostAfter = hostPid === undefined ? undefined : processCpuSeconds(hostPid);
  if (hostBefore === undefined || hostAfter === undefined) return { result };
  const load = process.cpuUsage(loadBefore);
  const hostSeconds = hostAfter - hostBefore;
  return { result, cpu: { hostMicros: (hostSeconds / answers(result)) * 1e6, hostBusy: hostSeconds / seconds, loadBusy: (load.user + load.system) / 1e6 / seconds } };
}

export function formatCpu(cpu: CpuShare | undefined): string {
  if (!cpu) return '';
  const percent = (share: number) => `${(share * 100).toFixed(0)}%`;
  return `   host CPU ${cpu.hostMicros.toFixed(0)} µs per answer (host ${percent(cpu.hostBusy)} of a core, load generator ${percent(cpu.loadBusy)})`;
}
