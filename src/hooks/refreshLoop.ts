// The timing of a live page's asks, apart from React so a test can count them on fake timers:
// one ask at a time, the next one `nextDelay()` after the previous one started.

export interface RefreshLoop {
  /** Shown: ask at once, then keep asking. Hidden: stop asking (a call on its way may still land). */
  setVisible(visible: boolean): void
  stop(): void
}

/**
 * `refresh` shows its own failures; the loop only logs what it could not show, and carries on.
 * `nextDelay` is read after each ask, so it sees what that ask brought back.
 */
export function createRefreshLoop(refresh: () => Promise<void>, nextDelay: () => number): RefreshLoop {
  let running = 0 // bumps on every start and stop, so a stale tick never reschedules
  let timer: ReturnType<typeof setTimeout> | undefined
  const halt = () => {
    running += 1
    clearTimeout(timer)
    timer = undefined
  }
  const tick = async (run: number) => {
    const started = Date.now()
    await refresh().catch((e: unknown) => console.error('[live refresh] refresh failed', e))
    if (run !== running) return
    timer = setTimeout(() => void tick(run), Math.max(0, nextDelay() - (Date.now() - started)))
  }
  return {
    setVisible(visible) {
      halt()
      if (visible) void tick(running)
    },
    stop: halt,
  }
}
