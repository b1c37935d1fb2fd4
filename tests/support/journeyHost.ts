// The frame of a browser journey whose steps each pass alone: one local host process and one browser for the
// file, and a fresh phone page (its own browser context) for every step, so no step relies on the one before.
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPhonePage } from './browser';
import { tempDir } from './runtime';
import { startHostProcess, type StartedHost } from './startProcess';

export interface StepJourney {
  host: StartedHost;
  browser: Browser;
  /** This step's own page. */
  page: Page;
}

/** Call inside a describe: the host (with `env` settings) starts before its first step and stops after its last. */
export function usePagePerStep(env: Record<string, string> = {}): StepJourney {
  const journey = {} as StepJourney;
  const dataDir = tempDir();
  beforeAll(async () => {
    journey.host = await startHostProcess({ DATA_DIR: dataDir, ...env });
    journey.browser = await launchBrowser();
  });
  afterAll(async () => {
    await journey.browser?.close();
    await journey.host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    journey.page = await openPhonePage(journey.browser);
  });
  afterEach(async () => {
    await journey.page?.context().close();
  });
  return journey;
}
