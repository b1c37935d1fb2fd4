// Debian's chromium driven by playwright-core (no browser download), with the flags this sandbox needs;
// playwright gives every launch a fresh temporary profile of its own.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { advanceHostClock } from './hostApi';

export const ARTIFACTS = path.resolve(__dirname, '../.artifacts');

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone-sized page, as patients see the H5 app. */
export async function openPhonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  return context.newPage();
}

/**
 * Taro H5 slides pages in and out: waits until no finite transition or animation is running (a spinner loops for ever)
 * and every page on show has come to rest. A new page waits off-screen (translated 100%) for a moment before its slide
 * starts, with nothing running yet; the router marks it `taro_page_stationed` once the slide is over.
 */
export async function pageSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.getAnimations().every((animation) => animation.playState !== 'running' || animation.effect?.getComputedTiming().endTime === Infinity) &&
      Array.from(document.querySelectorAll('.taro_router > .taro_page')).every(
        (element) => getComputedStyle(element).display === 'none' || element.classList.contains('taro_page_stationed') || element.classList.contains('taro_tabbar_page'),
      ),
    undefined,
    { timeout: 15_000 },
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // So the picture shows the page, not the slide.
  await pageSettled(page);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Opens the local host's dev login and taps a demo identity (e.g. /^张秀英/); ends on the home page. */
export async function logInOnDevLogin(page: Page, hostUrl: string, who: RegExp): Promise<void> {
  await page.goto(hostUrl);
  await page.getByRole('button', { name: who }).click();
  await page.locator('#home-greeting').waitFor();
}

/** Taro H5 keeps covered pages in the DOM (hidden): only the page on top counts. */
export function shownOn(page: Page, selector: string): Locator {
  return page.locator(`${selector} >> visible=true`).first();
}

/** The furthest open session on the doctor page's grid: never today's, so it can still be cancelled online. */
export function lastOpenCellOn(page: Page): Locator {
  return page.locator('#schedule-grid .grid-cell-open >> visible=true').last();
}

/**
 * Time passes at once on both clocks of a journey: the host's business clock (POST /dev/clock) and the phone's
 * (Playwright's, which the step installed with `page.clock.install()` before loading the app).
 */
export async function passTimeOnBothClocks(page: Page, hostUrl: string, ms: number): Promise<void> {
  await advanceHostClock(hostUrl, ms);
  await page.clock.fastForward(ms);
}
