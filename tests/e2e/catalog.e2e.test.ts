/**
 * Browser journey through the catalog (issue 4) on the H5 build served by the real local host, which
 * seeds the demo hospital on its first start: search "pf" -> 皮肤科 -> its release rules -> a doctor ->
 * the schedule grid with places left and a release time -> counts changed elsewhere (an extra slot
 * added by staff, a booking by another patient) show by themselves within the quiet refresh interval.
 *
 * Every step opens its own page (a fresh browser context), logs in and goes where it needs to, so any
 * one of them passes alone (`npx jest tests/e2e/catalog.e2e.test.ts -t '<name>'`). How fast a change
 * shows is measured by `npm run bench:ui`, not asserted here: the waits below are generous limits.
 */
import { rmSync } from 'node:fs';
import type { Browser, Locator, Page, Request } from 'playwright-core';
import { launchBrowser, logInOnDevLogin, openPhonePage, screenshot } from '../support/browser';
import { tempDir } from '../support/runtime';
import { until } from '../support/until';
import { startHostProcess, type StartedHost } from '../support/startProcess';
import { bindOnHost, callHost } from '../support/hostApi';
import { LIVE_REFRESH } from '../../src/utils/liveRefreshDelay';

jest.setTimeout(120_000);

/**
 * A limit for things that happen by themselves on the page: a quiet day's page asks every LIVE_REFRESH.quietMs
 * (the fast pace is only near a release or with few places left); generous on top, so a loaded machine passes.
 */
const SHOWS_BY_ITSELF_MS = LIVE_REFRESH.quietMs + 10_000;

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

  beforeAll(async () => {
    host = await startHostProcess({ DATA_DIR: dataDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  // Each step on a page of its own: nothing it relies on was left behind by the step before.
  beforeEach(async () => {
    page = await openPhonePage(browser);
  });
  afterEach(async () => {
    await page?.context().close();
  });

  /** Calls a function through the local host as a demo identity, as the app does; returns `data`. */
  const callAs = <T>(openid: string, fn: string, body: Record<string, unknown>): Promise<T> => callHost<T>(host.url, openid, fn, body);

  /** 皮肤科's first doctor with places in the next days, as its department page lists them. */
  async function skinDoctorWithPlaces(): Promise<string> {
    const { departments } = await callAs<{ departments: { id: string; name: string }[] }>('demo-patient', 'catalog', { action: 'departments', keyword: 'pf' });
    const skin = departments.find((department) => department.name === '皮肤科')!;
    const { doctors } = await callAs<{ doctors: { id: string; nextAvailable: { placesLeft: number } | null }[] }>('demo-patient', 'catalog', { action: 'doctors', departmentId: skin.id });
    return doctors.find((doctor) => (doctor.nextAvailable?.placesLeft ?? 0) > 0)!.id;
  }

  /** Logs in as the demo patient and opens the doctor page of `doctorId` with its grid shown. */
  async function openDoctorPage(doctorId: string): Promise<void> {
    await logInOnDevLogin(page, host.url, /^张秀英/);
    await page.goto(`${host.url}/#/pages/catalog/doctor/index?id=${doctorId}`);
    await page.locator('#schedule-grid .grid-cell.grid-cell-open').first().waitFor();
  }

  /** Opens the last open session (never today's, so an extra slot added to it is bookable) and chooses its first open slot. */
  async function chooseSlotInLastSession(): Promise<{ date: string; period: string; window: string; slot: Locator }> {
    const target = page.locator('.grid-cell.grid-cell-open').last();
    const date = (await target.getAttribute('data-date'))!;
    const period = (await target.getAttribute('data-period'))!;
    await target.click();
    const slot = page.locator('#slot-panel .slot-item-open').first();
    await slot.waitFor();
    expect(await slot.textContent()).toMatch(/\d\d:\d\d-\d\d:\d\d余 \d+/);
    const window = /\d\d:\d\d-\d\d:\d\d/.exec((await slot.textContent()) ?? '')![0];
    await slot.click();
    // This patient has no card yet: the sheet says so (the booking journey books from it).
    await page.locator('#booking-sheet').getByText(window, { exact: false }).waitFor();
    await page.locator('#sheet-add-patient').waitFor();
    await page.locator('#booking-sheet-close').click();
    await page.locator('#slot-note').getByText('预约这个时段').waitFor();
    return { date, period, window, slot };
  }

  const cell = (date: string, period: string): Locator => page.locator(`.grid-cell[data-date="${date}"][data-period="${period}"]`);
  const placesIn = async (locator: Locator) => Number(/余 (\d+)/.exec((await locator.textContent()) ?? '')?.[1]);

  /**
   * The page's next refresh, now: moves the phone's clock (Playwright's, installed by the step) on by one
   * quiet interval, the longest the page waits between two asks.
   */
  async function nextRefreshNow(): Promise<void> {
    await page.clock.fastForward(LIVE_REFRESH.quietMs);
  }

  /** Waits until the cell's text matches, without any navigation or reload in between. */
  async function waitForCell(date: string, period: string, text: RegExp): Promise<void> {
    await page.waitForFunction(
      ({ selector, source }) => new RegExp(source).test(document.querySelector(selector)?.textContent ?? ''),
      { selector: `.grid-cell[data-date="${date}"][data-period="${period}"]`, source: text.source },
      { timeout: SHOWS_BY_ITSELF_MS, polling: 50 },
    );
  }

  it('logs in as the demo patient and sees the common departments on the home page', async () => {
    await logInOnDevLogin(page, host.url, /^张秀英/);
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
    await logInOnDevLogin(page, host.url, /^张秀英/);
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

  /** Logs in and opens 皮肤科 the way a patient does: search "pf", tap the result. */
  async function openSkinDepartment(): Promise<void> {
    await logInOnDevLogin(page, host.url, /^张秀英/);
    await page.locator('#department-search input').fill('pf');
    await page.locator('#search-results').getByRole('button', { name: /^皮肤科/ }).click();
    await page.locator('#department-intro').getByText('皮肤科', { exact: true }).waitFor();
  }

  it('explains the release rules on the department page, with a worked example for today', async () => {
    await openSkinDepartment();
    const rules = page.locator('#release-rules');
    await rules.getByText('放号规则').waitFor();
    await rules.getByText('每天 07:00 放出 7 天后的号', { exact: false }).waitFor();
    expect(await rules.textContent()).toMatch(/举个例子：今天是 \d+月\d+日，现在最远可以约到 \d+月\d+日/);
    expect(await rules.isVisible()).toBe(true);
    await screenshot(page, 'catalog-department');
  });

  it('lists the doctors with title, fee and their next free day, and opens one', async () => {
    await openSkinDepartment();
    const doctors = page.locator('#department-doctors [data-doctor-id]');
    await doctors.first().waitFor();
    expect(await doctors.count()).toBeGreaterThanOrEqual(3);
    const withPlaces = doctors.filter({ hasText: /最近可约：\d+月\d+日 周.，余 \d+ 个号/ }).first();
    await withPlaces.waitFor();
    expect(await withPlaces.textContent()).toMatch(/(主任医师|副主任医师|主治医师|住院医师)/);
    expect(await withPlaces.textContent()).toMatch(/挂号费 \d+(\.\d+)? 元|免费/);
    expect(await withPlaces.getAttribute('data-doctor-id')).toMatch(/^[0-9a-f]{24}$/);
    await withPlaces.click();
    await page.locator('#schedule-grid').waitFor();
  });

  it('shows places left for a released day, and the release time of a day beyond the window', async () => {
    await openDoctorPage(await skinDoctorWithPlaces());
    const open = page.locator('.grid-cell.grid-cell-open');
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
    await page.locator(`.grid-row[data-date="${unreleasedDate}"]`).waitFor({ state: 'detached' });
  });

  it('opens a session to show its time slots; a slot opens the confirm sheet and stays chosen once it is closed', async () => {
    await openDoctorPage(await skinDoctorWithPlaces());
    const { slot } = await chooseSlotInLastSession();
    expect(await slot.textContent()).toContain('已选');
    await screenshot(page, 'catalog-doctor-slot');
  });

  it('shows a count changed elsewhere by itself within one quiet refresh interval, without a reload and keeping the selection', async () => {
    await page.clock.install();
    const doctorId = await skinDoctorWithPlaces();
    await openDoctorPage(doctorId);
    const { date, period } = await chooseSlotInLastSession();
    const before = await placesIn(cell(date, period));
    expect(before).toBeGreaterThan(0);
    // Marks the live page and its grid: a reload or a re-mounted grid would lose them.
    await page.evaluate(() => {
      (window as unknown as { journeyMark: number }).journeyMark = 1;
      (document.querySelector('#schedule-grid') as unknown as { journeyMark: number }).journeyMark = 1;
    });

    const { days } = await callAs<{ days: DayView[] }>('demo-patient', 'catalog', { action: 'schedules', doctorId });
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

    await nextRefreshNow();
    await waitForCell(date, period, new RegExp(`^余 ${before + 3}$`));
    expect(await page.evaluate(() => (window as unknown as { journeyMark?: number }).journeyMark)).toBe(1);
    expect(await page.evaluate(() => (document.querySelector('#schedule-grid') as unknown as { journeyMark?: number }).journeyMark)).toBe(1);
    // The open session now lists the extra slot, and the slot chosen before is still chosen.
    await page.locator('#slot-panel').getByText('12:00-12:30（加号）').waitFor();
    expect(await page.locator('#slot-panel .slot-item-selected').count()).toBe(1);
    await page.locator('#slot-note').getByText('预约这个时段').waitFor();
    await screenshot(page, 'catalog-doctor-live-count');
  });

  it('shows a booking another patient makes elsewhere by itself within one quiet refresh interval', async () => {
    await page.clock.install();
    await openDoctorPage(await skinDoctorWithPlaces());
    const { date, period } = await chooseSlotInLastSession();
    const before = await placesIn(cell(date, period));
    const chosen = page.locator('#slot-panel .slot-item-selected');
    const chosenBefore = await placesIn(chosen);
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

    await nextRefreshNow();
    await waitForCell(date, period, new RegExp(`^余 ${before - 1}$`));
    expect(await chosen.textContent()).toMatch(new RegExp(`已选 · 余 ${chosenBefore - 1}$`));
  });

  it('stops asking for counts while the browser tab is hidden, and asks again when it is back', async () => {
    await page.clock.install();
    await openDoctorPage(await skinDoctorWithPlaces());
    const isSchedules = (request: Request) => request.url().endsWith('/api/catalog') && Boolean(request.postData()?.includes('"schedules"'));
    const inFlight = new Set<Request>();
    const sent: Request[] = [];
    page.on('request', (request) => {
      if (!isSchedules(request)) return;
      inFlight.add(request);
      sent.push(request);
    });
    page.on('requestfinished', (request) => inFlight.delete(request));
    page.on('requestfailed', (request) => inFlight.delete(request));
    const setTabHidden = (hidden: boolean) =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    // The page refreshes while shown: see one request go out, then hide it.
    const refreshed = page.waitForRequest(isSchedules, { timeout: SHOWS_BY_ITSELF_MS });
    await nextRefreshNow();
    await refreshed;

    await setTabHidden(true);
    // A request already on its way when the tab hid may still land; wait for it, then start counting.
    await until(() => inFlight.size === 0, SHOWS_BY_ITSELF_MS, 'the last schedules request landing');
    sent.length = 0;
    // Hidden through two refresh intervals of the phone's clock, then 3 s of real time: no request. The pace
    // itself is measured on fake timers in tests/src/hooks/liveRefreshCalls.test.ts.
    await nextRefreshNow();
    await nextRefreshNow();
    const asked = await page.waitForRequest(isSchedules, { timeout: 3_000 }).then(
      () => true,
      () => false,
    );
    expect(asked).toBe(false);
    expect(sent).toEqual([]);

    await setTabHidden(false);
    await page.waitForResponse((response) => isSchedules(response.request()), { timeout: SHOWS_BY_ITSELF_MS });
    await page.locator('#schedule-grid .grid-cell-open').first().waitFor();
  });

  it('keeps every grid cell a 60 x 60 touch target with larger text in elder mode', async () => {
    const doctorId = await skinDoctorWithPlaces();
    await callAs('demo-patient', 'user', { action: 'setPreferences', elderMode: true });
    try {
      await logInOnDevLogin(page, host.url, /^张秀英/);
      await page.goto(`${host.url}/#/pages/catalog/doctor/index?id=${doctorId}`);
      await page.locator('.theme-elder #schedule-grid .grid-cell').first().waitFor();
      const boxes = await page.locator('.theme-elder .grid-cell').evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect()));
      expect(boxes.length).toBeGreaterThan(0);
      for (const box of boxes) {
        expect(box.width).toBeGreaterThanOrEqual(60);
        expect(box.height).toBeGreaterThanOrEqual(60);
      }
      const fontSizes = await page
        .locator('.theme-elder .grid-date-day, .theme-elder .grid-cell-text, .theme-elder #doctor-schedule .caption')
        .evaluateAll((nodes) => nodes.map((node) => parseFloat(getComputedStyle(node).fontSize)));
      expect(fontSizes.length).toBeGreaterThan(0);
      expect(Math.min(...fontSizes)).toBeGreaterThanOrEqual(18);
      await screenshot(page, 'catalog-doctor-elder');
    } finally {
      await callAs('demo-patient', 'user', { action: 'setPreferences', elderMode: false });
    }
  });
});
