// Runs `npm start`'s entry as a real child process and waits for the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface StartedHost {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** One Node process running a TypeScript file (tsx as a loader, not its CLI, which would put a second process in between): SIGKILL really kills it. */
export function spawnScript(file: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  // HOST_CPU_PROF_DIR=<dir> (benches): the child writes a V8 CPU profile there when it exits.
  const profile = process.env.HOST_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HOST_CPU_PROF_DIR}`] : [];
  return spawn(process.execPath, [...profile, '--import', 'tsx', file, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function spawnStart(env: Record<string, string>, args: string[] = ['--no-build']): ChildProcess {
  return spawnScript(path.join(ROOT, 'cloudfunctions/local/start.ts'), args, { LOG_LEVEL: 'info', ...env });
}

export function startHostProcess(env: Record<string, string>, args?: string[]): Promise<StartedHost> {
  const child = spawnStart({ PORT: '0', ...env }, args);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not print its URL:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+?)\/? /.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1].replace(/\/$/, ''),
        child,
        output: () => output,
        stop: (signal = 'SIGTERM') =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill(signal);
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${output}`));
    });
  });
}

/** Collects a short-lived process's exit code and output. */
export function runToExit(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
