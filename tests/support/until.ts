// Waiting on a condition, never on the clock: checks every 20 ms and fails with `what` after a generous limit.

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
