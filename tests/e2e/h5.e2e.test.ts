/**
 * Browser journey on the H5 build served by the real local host (a child process on a free port,
 * with a temporary DATA_DIR): log in as the demo patient, switch on elder mode, see larger text.
 * Every step opens its own page and sets up what it needs, so any one of them passes alone.
 */
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logInOnDevLogin, openPhonePage, screenshot } from '../support/browser';
import { callHost } from '../support/hostApi';
import { tempDir } from '../support/runtime';
import { startHostProcess, type StartedHost } from '../support/startProcess';

jest.setTimeout(120_000);

describe('H5 app in a real browser', () => {
  let host: StartedHost;
  let browser: Browser;
  let page: Page;
  const dataDir = tempDir();

  beforeAll(async () => {
    host = await startHostProcess({ DATA_DIR: dataDir });
    browser = await launchBrowser();
  });
  beforeEach(async () => {
    page = await openPhonePage(browser);
  });
  afterEach(async () => {
    await page?.context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const fontSizeOf = (selector: string) =>
    page.locator(selector).first().evaluate((element) => parseFloat(getComputedStyle(element).fontSize));

  it('sends a first-time visitor to the dev login, then logs in as the demo patient', async () => {
    await page.goto(host.url);
    const patientCard = page.getByRole('button', { name: /^张秀英/ });
    await patientCard.waitFor();
    await screenshot(page, 'dev-login');
    await patientCard.click();
    await page.locator('#home-greeting').waitFor();
    await page.getByText('在手机上预约挂号').waitFor();
    await screenshot(page, 'home');
  });

  const setElderMode = (elderMode: boolean) => callHost(host.url, 'demo-patient', 'user', { action: 'setPreferences', elderMode });

  it('switches to elder mode in 我的 and shows larger text, remembered by the server', async () => {
    await setElderMode(false);
    await logInOnDevLogin(page, host.url, /^张秀英/);
    await page.locator('.weui-tabbar__label', { hasText: '我的' }).click();
    const label = '#elder-mode-switch .title';
    await page.locator(label).waitFor();
    const before = await fontSizeOf(label);
    await screenshot(page, 'me-standard');

    await page.locator('#elder-mode-switch').click();
    await page.waitForFunction(
      ({ selector, size }) => {
        const element = document.querySelector(selector);
        return element !== null && parseFloat(getComputedStyle(element).fontSize) > size;
      },
      { selector: label, size: before },
    );
    const after = await fontSizeOf(label);
    await screenshot(page, 'me-elder');
    expect(after).toBeGreaterThanOrEqual(before * 1.25);
    // Elder mode body text is at least 18 CSS px on a phone (U1).
    expect(await fontSizeOf('#elder-mode-switch .caption')).toBeGreaterThanOrEqual(18);

    const response = await fetch(`${host.url}/api/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dev-openid': 'demo-patient' },
      body: JSON.stringify({ action: 'login' }),
    });
    expect(await response.json()).toMatchObject({ ok: true, data: { user: { preferences: { elderMode: true } } } });
  });

  it('keeps elder mode after a reload', async () => {
    await setElderMode(true);
    await logInOnDevLogin(page, host.url, /^张秀英/);
    await page.locator('.weui-tabbar__label', { hasText: '我的' }).click();
    await page.locator('#elder-mode-switch .caption').first().waitFor();
    await page.reload();
    await page.locator('#elder-mode-switch .caption').first().waitFor();
    expect(await fontSizeOf('#elder-mode-switch .caption')).toBeGreaterThanOrEqual(18);
  });
});
