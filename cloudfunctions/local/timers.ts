// Runs the timer triggers declared in the functions' config.json, once per matching second, never overlapping.
import { TIMER_SOURCE, withPlatformCall } from '../shared/identity';
import type { Logger } from '../shared/log';
import { cronMatches, parseCron } from './cron';
import type { HostedFunction } from './functions';

export interface TimerScheduler {
  /** Starts a function's timer triggers now, as if their second had come (each still never overlaps itself); how many started. */
  runNow(functionName: string): number;
  stop(): Promise<void>;
}

export function startTimers(functions: HostedFunction[], log: Logger, timeZone = 'Asia/Shanghai'): TimerScheduler {
  const timers = functions.flatMap((fn) =>
    fn.config.triggers.map((trigger) => ({ fn, trigger, schedule: parseCron(trigger.config), running: undefined as Promise<void> | undefined })),
  );
  let lastSecond = Math.floor(Date.now() / 1000);
  let stopped = false;

  type Timer = (typeof timers)[number];
  const run = (timer: Timer, at: Date) => {
    const event = { Type: 'Timer', TriggerName: timer.trigger.name, Time: at.toISOString() };
    // Marked as the platform marks a timer trigger's run: the only way a function accepts a timer event.
    timer.running = withPlatformCall({ identity: null, source: TIMER_SOURCE }, () => timer.fn.main(event, { function_name: timer.fn.name }))
      .then((result) => {
        if (!result.ok) log.warn('timer trigger failed', { function: timer.fn.name, trigger: timer.trigger.name, code: result.code, requestId: result.requestId });
      })
      .finally(() => {
        timer.running = undefined;
      });
  };

  const tick = () => {
    const nowSecond = Math.floor(Date.now() / 1000);
    // Catch up on seconds skipped by a busy event loop, but never run a trigger twice for one second.
    for (let second = lastSecond + 1; second <= nowSecond; second++) {
      const at = new Date(second * 1000);
      for (const timer of timers) if (!timer.running && cronMatches(timer.schedule, at, timeZone)) run(timer, at);
    }
    lastSecond = nowSecond;
  };

  const interval = timers.length ? setInterval(() => stopped || tick(), 250) : undefined;
  return {
    runNow(functionName) {
      const due = timers.filter((timer) => timer.fn.name === functionName && !timer.running);
      for (const timer of due) run(timer, new Date());
      return due.length;
    },
    async stop() {
      stopped = true;
      if (interval) clearInterval(interval);
      await Promise.all(timers.map((timer) => timer.running));
    },
  };
}
