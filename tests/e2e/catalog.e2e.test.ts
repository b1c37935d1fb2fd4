/**
 * Browser journey through the catalog (issue 4) on the H5 build served by the real local host, which
 * seeds the demo hospital on its first start: search "pf" -> 皮肤科 -> its release rules -> a doctor ->
 * the schedule grid with places left and a release time -> counts changed elsewhere (an extra slot
 * added by staff, a booking by another patient) show by themselves within the quiet refresh interval.
 *
 * The steps share one page and run in order. Later steps (the admin changes a template, regenerates,
 * and the patient's grid changes) append to the end: `journey` holds what earlier steps found, and
 * `callAs`/`waitForCell` are the helpers they need.
 */
import { rmSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openPhonePage, screenshot } from '../support/browser';
import { tempDir } from '../support/runtime';
import { startHostProcess, type StartedHost } from '../support/startProcess';
import { bindOnHost } from '../support/hostApi';
import { LIVE_REFRESH } from '../../src/utils/liveRefreshDelay';

jest.setTimeout(120_000);

/** C3: a change made elsewhere shows on a visible schedule page within about a second; allow two. */
// A quiet day (plenty of places, no release near): the page asks every LIVE_REFRESH.quietMs.
const LIVE_COUNT_DEADLINE_MS = LIVE_REFRESH.quietMs + 2_000;

interface SlotView {
  id: string;
  window: string;
  remaining: number;
  bookable: boolean;
}
interface PeriodView {
  scheduleId: string;
  period: string;
  slots: SlotView[];
}
interface DayView {
  date: string;
  periods: PeriodView[];
}

describe('catalog in a real browser', () => {
  let host: StartedHost;
  let browser: Browser;
  let page: Page;
  const dataDir = tempDir();
  /** What earlier steps found, for the steps after them. */
  const journey: { doctorId?: string; openCell?: { date: string; period: string }; today?: string } = {};

  beforeAll(async () => {
    host = await startHostProcess({ DATA_DIR: dataDir });
    browser = await launchBrowser();
    page = await openPhonePage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Calls a function through the local host as a demo identity, as the app does; returns `data`. */
  async function callAs<T>(openid: string, fn: string, body: Record<string, unknown>): Promise<T> {
    const response = await fetch(`${host.url}/api/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dev-openid': openid },
      body: JSON.stringify(body),
    });
    const envelope = (await response.json()) as { ok: boolean; data?: T; code?: string; message?: string };
    if (!envelope.ok) throw new Error(`${fn}.${String(body.action)} as ${openid}: ${envelope.code} ${envelope.message}`);
    return envelope.data as T;
  }

  const cell = (date: string, period: string): Locator => page.locator(`.grid-cell[data-date="${date}"][data-period="${period}"]`);

  /** Waits until the cell's text matches, without any navigation or reload in between. */
  async function waitForCell(date: string, period: string, text: RegExp, timeout: number): Promise<void> {
    await page.waitForFunction(
      ({ selector, source }) => new RegExp(source).test(document.querySelector(selector)?.textContent ?? ''),
      { selector: `.grid-cell[data-date="${date}"][data-period="${period}"]`, source: text.source },
      { timeout, polling: 50 },
    );
  }

  it('logs in as the demo patient and sees the common departments on the home page', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: /^张秀英/ }).click();
    await page.locator('#home-greeting').waitFor();
    const common = page.locator('#common-departments');
    await common.getByRole('button', { name: '皮肤科' }).waitFor();
    for (const name of ['心血管内科', '消化内科', '儿科', '妇产科', '口腔科', '眼科']) {
      expect(await common.getByRole('button', { name }).count()).toBe(1);
    }
    // Every department is listed under its first-level group.
    await page.locator('#all-departments').getByText('皮肤性病科').waitFor();
    expect(await page.locator('#all-departments').getByRole('button', { name: '医学美容科' }).count()).toBe(1);
    await screenshot(page, 'catalog-home');
  });

  it('finds 皮肤科 by its pinyin initials "pf" and opens it', async () => {
    await page.locator('#department-search input').fill('pf');
    const results = page.locator('#search-results');
    const skin = results.getByRole('button', { name: /^皮肤科/ });
    await skin.waitFor();
    // Matches only: the search answer replaces the full directory.
    expect(await page.locator('#all-departments').count()).toBe(0);
    expect(await results.getByRole('button', { name: /心血管内科/ }).count()).toBe(0);
    await screenshot(page, 'catalog-search-pf');
    await skin.click();
    await page.locator('#department-intro').getByText('皮肤科', { exact: true }).waitFor();
  });

  it('explains the release rules on the department page, with a worked example for today', async () => {
    const rules = page.locator('#release-rules');
    await rules.getByText('放号规则').waitFor();
    await rules.getByText('每天 07:00 放出 7 天后的号', { exact: false }).waitFor();
    expect(await rules.textContent()).toMatch(/举个例子：今天是 \d+月\d+日，现在最远可以约到 \d+月\d+日/);
    expect(await rules.isVisible()).toBe(true);
    await screenshot(page, 'catalog-department');
  });

  it('lists the doctors with title, fee and their next free day, and opens one', async () => {
    const doctors = page.locator('#department-doctors [data-doctor-id]');
    await doctors.first().waitFor();
    expect(await doctors.count()).toBeGreaterThanOrEqual(3);
    const withPlaces = doctors.filter({ hasText: /最近可约：\d+月\d+日 周.，余 \d+ 个号/ }).first();
    await withPlaces.waitFor();
    expect(await withPlaces.textContent()).toMatch(/(主任医师|副主任医师|主治医师|住院医师)/);
    expect(await withPlaces.textContent()).toMatch(/挂号费 \d+(\.\d+)? 元|免费/);
    journey.doctorId = (await withPlaces.getAttribute('data-doctor-id')) ?? undefined;
    expect(journey.doctorId).toMatch(/^[0-9a-f]{24}$/);
    await withPlaces.click();
    await page.locator('#schedule-grid').waitFor();
  });

  it('shows places left for a released day, and the release time of a day beyond the window', async () => {
    const open = page.locator('.grid-cell.grid-cell-open');
    await open.first().waitFor();
    expect(await open.first().textContent()).toMatch(/^余 \d+$/);

    // Released days fit in the first 7; the days after them open later, each with its own time.
    await page.locator('#range-14').click();
    const unreleased = page.locator('.grid-row').filter({ hasText: /\d+月\d+日 \d\d:\d\d 放号/ });
    await unreleased.first().waitFor();
    const firstOpenDate = (await open.first().getAttribute('data-date'))!;
    const unreleasedDate = (await unreleased.first().getAttribute('data-date'))!;
    expect(unreleasedDate > firstOpenDate).toBe(true);
    expect(await unreleased.first().locator('.grid-cell-soon').first().textContent()).toBe('即将放号');
    expect(await unreleased.first().locator('.grid-cell-open').count()).toBe(0);
    await screenshot(page, 'catalog-doctor-14-days');
    await page.locator('#range-7').click();
    expect(await page.locator(`.grid-row[data-date="${unreleasedDate}"]`).count()).toBe(0);
  });

  it('opens a session to show its time slots; a slot opens the confirm sheet and stays chosen once it is closed', async () => {
    const open = page.locator('.grid-cell.grid-cell-open');
    // The last open session is never today's, so an extra slot added to it below is bookable.
    const target = open.last();
    journey.openCell = { date: (await target.getAttribute('data-date'))!, period: (await target.getAttribute('data-period'))! };
    await target.click();
    const panel = page.locator('#slot-panel');
    const slot = panel.locator('.slot-item-open').first();
    await slot.waitFor();
    expect(await slot.textContent()).toMatch(/\d\d:\d\d-\d\d:\d\d余 \d+/);
    const window = /\d\d:\d\d-\d\d:\d\d/.exec((await slot.textContent()) ?? '')![0];
    await slot.click();
    // This patient has no card yet: the sheet says so (the booking journey books from it).
    await page.locator('#booking-sheet').getByText(window, { exact: false }).waitFor();
    await page.locator('#sheet-add-patient').waitFor();
    await page.locator('#booking-sheet-close').click();
    await page.locator('#slot-note').getByText('预约这个时段').waitFor();
    expect(await slot.textContent()).toContain('已选');
    await screenshot(page, 'catalog-doctor-slot');
  });

  it('shows a count changed elsewhere within one quiet refresh interval, without a reload and keeping the selection', async () => {
    const { date, period } = journey.openCell!;
    const before = Number(/余 (\d+)/.exec((await cell(date, period).textContent()) ?? '')?.[1]);
    expect(before).toBeGreaterThan(0);
    // Marks the live page and its grid: a reload or a re-mounted grid would lose them.
    await page.evaluate(() => {
      (window as unknown as { journeyMark: number }).journeyMark = 1;
      (document.querySelector('#schedule-grid') as unknown as { journeyMark: number }).journeyMark = 1;
    });

    const { days } = await callAs<{ days: DayView[] }>('demo-patient', 'catalog', { action: 'schedules', doctorId: journey.doctorId });
    const session = days.find((day) => day.date === date)!.periods.find((entry) => entry.period === period)!;
    await callAs('demo-admin', 'user', { action: 'login' });
    await callAs('demo-admin', 'admin', {
      action: 'addExtraSlot',
      scheduleId: session.scheduleId,
      startTime: '12:00',
      endTime: '12:30',
      capacity: 3,
      reason: '浏览器旅程：加号后患者页面应自动更新',
    });
    const changedAt = Date.now();

    await waitForCell(date, period, new RegExp(`^余 ${before + 3}$`), LIVE_COUNT_DEADLINE_MS);
    expect(Date.now() - changedAt).toBeLessThan(LIVE_COUNT_DEADLINE_MS);
    expect(await page.evaluate(() => (window as unknown as { journeyMark?: number }).journeyMark)).toBe(1);
    expect(await page.evaluate(() => (document.querySelector('#schedule-grid') as unknown as { journeyMark?: number }).journeyMark)).toBe(1);
    // The open session now lists the extra slot, and the slot chosen before is still chosen.
    await page.locator('#slot-panel').getByText('12:00-12:30（加号）').waitFor();
    expect(await page.locator('#slot-panel .slot-item-selected').count()).toBe(1);
    await page.locator('#slot-note').getByText('预约这个时段').waitFor();
    await screenshot(page, 'catalog-doctor-live-count');
  });

  it('shows a booking another patient makes elsewhere within one quiet refresh interval', async () => {
    const { date, period } = journey.openCell!;
    const before = Number(/余 (\d+)/.exec((await cell(date, period).textContent()) ?? '')?.[1]);
    const chosen = page.locator('#slot-panel .slot-item-selected');
    const chosenBefore = Number(/余 (\d+)/.exec((await chosen.textContent()) ?? '')?.[1]);
    const slotId = (await chosen.getAttribute('data-slot-id'))!;

    // 王磊 books the very place the patient is looking at, from his own phone.
    await callAs('demo-family', 'user', { action: 'login' });
    const bound = await bindOnHost(host.url, 'demo-family', {
      name: '王磊',
      idType: 'mainland_id',
      idNumber: '110105197803150016', // a valid check digit, as in tests/support/patients.ts
      phone: '13900001111',
      relation: 'self',
    });
    if (!bound.ok) throw new Error(`bind: ${bound.code}`);
    const { patient } = bound.data!;
    const hold = await callAs<{ outcome: string }>('demo-family', 'booking', { action: 'hold', slotId, patientId: patient.id, requestId: 'catalog-journey-0001' });
    expect(['booked', 'pending_payment']).toContain(hold.outcome);
    const bookedAt = Date.now();

    await waitForCell(date, period, new RegExp(`^余 ${before - 1}$`), LIVE_COUNT_DEADLINE_MS);
    expect(Date.now() - bookedAt).toBeLessThan(LIVE_COUNT_DEADLINE_MS);
    expect(await chosen.textContent()).toMatch(new RegExp(`已选 · 余 ${chosenBefore - 1}$`));
  });

  it('stops asking for counts while the browser tab is hidden, and asks again at once when it is back', async () => {
    const schedulesRequests: number[] = [];
    const onRequest = (request: { url(): string; postData(): string | null }) => {
      if (request.url().endsWith('/api/catalog') && request.postData()?.includes('"schedules"')) schedulesRequests.push(Date.now());
    };
    page.on('request', onRequest);
    const setTabHidden = (hidden: boolean) =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    try {
      await setTabHidden(true);
      await page.waitForTimeout(300); // a request already on its way may still land
      schedulesRequests.length = 0;
      await page.waitForTimeout(2_500);
      expect(schedulesRequests).toEqual([]);

      const shownAt = Date.now();
      await setTabHidden(false);
      await page.waitForResponse((response) => response.url().endsWith('/api/catalog') && Boolean(response.request().postData()?.includes('"schedules"')), { timeout: 1_000 });
      expect(schedulesRequests[0] - shownAt).toBeLessThan(500);
    } finally {
      page.off('request', onRequest);
      // Later steps (the admin's) continue on this page with the grid live again.
      await page.evaluate(() => delete (document as unknown as { hidden?: boolean }).hidden);
    }
    await page.locator('#schedule-grid .grid-cell-open').first().waitFor();
  });

  it('keeps every grid cell a 60 x 60 touch target with larger text in elder mode', async () => {
    // A second tab of the same browser, so the journey's page stays as it is for the steps after this.
    await callAs('demo-patient', 'user', { action: 'setPreferences', elderMode: true });
    const elder = await page.context().newPage();
    try {
      await elder.goto(`${host.url}/#/pages/catalog/doctor/index?id=${journey.doctorId}`);
      await elder.locator('.theme-elder #schedule-grid .grid-cell').first().waitFor();
      const boxes = await elder.locator('.theme-elder .grid-cell').evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect()));
      expect(boxes.length).toBeGreaterThan(0);
      for (const box of boxes) {
        expect(box.width).toBeGreaterThanOrEqual(60);
        expect(box.height).toBeGreaterThanOrEqual(60);
      }
      const fontSizes = await elder
        .locator('.theme-elder .grid-date-day, .theme-elder .grid-cell-text, .theme-elder #doctor-schedule .caption')
        .evaluateAll((nodes) => nodes.map((node) => parseFloat(getComputedStyle(node).fontSize)));
      expect(fontSizes.length).toBeGreaterThan(0);
      expect(Math.min(...fontSizes)).toBeGreaterThanOrEqual(18);
      await screenshot(elder, 'catalog-doctor-elder');
    } finally {
      await elder.close();
      await callAs('demo-patient', 'user', { action: 'setPreferences', elderMode: false });
    }
  });

  // Admin steps (change a template, regenerate, the patient's grid changes) are appended below.
});
