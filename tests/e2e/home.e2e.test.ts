/**
 * The home page that knows the patient (issue 15 item 6), on the H5 build served by the real local host:
 * the hospital's address, phone and map link; a 公告 staff posted, opened in full with a tap; her next
 * visit with one tap to its visit code; a doctor found by what he treats (擅长), opened with a tap.
 */
import { rmSync } from 'node:fs';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logInOnDevLogin, pageSettled, screenshot, shownOn } from '../support/browser';
import { callHost } from '../support/hostApi';
import { ownCardOnHost } from '../support/journeySetup';
import { tempDir } from '../support/runtime';
import { startHostProcess, type StartedHost } from '../support/startProcess';

dayjs.extend(utc);
dayjs.extend(timezone);
jest.setTimeout(180_000);

const NOTICE_BODY = '春节期间门诊时间有调整，除夕至初三只开急诊和发热门诊。\n初四起恢复正常门诊，请提前在小程序预约，到院后先到一楼服务台签到。';

interface DoctorSummary {
  id: string;
  name: string;
  feeFen: number;
  nextAvailable: { date: string } | null;
}

/** One booked free place for 张秀英, the furthest released one, so it is her next visit; its doctor. */
async function bookFreePlace(baseUrl: string, patientId: string): Promise<DoctorSummary> {
  const call = <T>(fn: string, body: Record<string, unknown>) => callHost<T>(baseUrl, 'demo-patient', fn, body);
  const { departments } = await call<{ departments: { id: string; name: string }[] }>('catalog', { action: 'departments' });
  for (const department of departments.filter((entry) => !/儿|妇|产|男/.test(entry.name))) {
    const { doctors } = await call<{ doctors: DoctorSummary[] }>('catalog', { action: 'doctors', departmentId: department.id });
    for (const doctor of doctors.filter((entry) => entry.feeFen === 0 && entry.nextAvailable)) {
      const { days } = await call<{ days: { periods: { slots: { id: string; bookable: boolean; remaining: number }[] }[] }[] }>('catalog', { action: 'schedules', doctorId: doctor.id });
      const slot = days.flatMap((day) => day.periods.flatMap((period) => period.slots)).filter((entry) => entry.bookable && entry.remaining > 0).pop();
      if (!slot) continue;
      const answer = await call<{ outcome: string }>('booking', { action: 'hold', slotId: slot.id, patientId, requestId: `home-${slot.id}` });
      if (answer.outcome === 'booked') return doctor;
    }
  }
  throw new Error('no free place to book');
}

describe('home page in a real browser', () => {
  let host: StartedHost;
  let browser: Browser;
  let page: Page;
  let doctor: DoctorSummary;
  const dataDir = tempDir();
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    host = await startHostProcess({ DATA_DIR: dataDir });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    // The map link leaves the app for Amap's page: answered here, so the test needs no network.
    await context.route('https://uri.amap.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>高德地图</title>' }));
    page = await context.newPage();
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(error.message));

    await callHost(host.url, 'demo-admin', 'user', { action: 'login' });
    const today = dayjs().tz('Asia/Shanghai');
    await callHost(host.url, 'demo-admin', 'admin', {
      action: 'saveNotice',
      title: '春节门诊安排',
      body: NOTICE_BODY,
      from: today.subtract(1, 'day').format('YYYY-MM-DD'),
      until: today.add(7, 'day').format('YYYY-MM-DD'),
    });
    doctor = await bookFreePlace(host.url, await ownCardOnHost(host.url));
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the hospital with its address, a phone to call and a map link that opens Amap at the hospital', async () => {
    await logInOnDevLogin(page, host.url, /^张秀英/);
    const info = shownOn(page, '#hospital-info');
    await info.getByText('医约示范医院').waitFor();
    expect(await info.textContent()).toContain('地址：江苏省南京市鼓楼区示范路 100 号');
    expect(await info.textContent()).toContain('咨询电话：025-8000 0100');
    expect(await info.getByRole('button', { name: '拨打电话' }).getAttribute('data-phone')).toBe('02580000100');
    const [map] = await Promise.all([page.waitForEvent('popup'), info.getByRole('button', { name: '导航到医院' }).click()]);
    await map.waitForLoadState();
    expect(map.url()).toMatch(/^https:\/\/uri\.amap\.com\/marker\?position=118\.7778,32\.0603&name=/);
    await map.close();
    await screenshot(page, 'home-hospital');
  });

  it('shows the notice staff posted, short, and the whole text with a tap', async () => {
    const notice = shownOn(page, '#home-notices .notice-item');
    await notice.getByText('春节门诊安排').waitFor();
    expect(await notice.textContent()).toContain('春节期间门诊时间有调整，除夕至初三只开急诊和发热门诊。…');
    expect(await notice.textContent()).not.toContain('初四起恢复正常门诊');
    await notice.click();
    await notice.getByText(/初四起恢复正常门诊/).waitFor();
    await screenshot(page, 'home-notice-open');
  });

  it('shows her next visit with its doctor and number, and opens its visit code in one tap', async () => {
    const next = shownOn(page, '#home-next-visit');
    await next.getByText(new RegExp(doctor.name)).waitFor();
    expect(await next.textContent()).toMatch(/就诊人：张秀英 · 第 \d+ 号/);
    await screenshot(page, 'home-next-visit');
    await next.getByRole('button', { name: '出示就诊码' }).click();
    await shownOn(page, '#visit-code-qr').waitFor();
    // Back at once, while the slip may still be sliding in: 首页 is shown again, not left hidden by the slide's end.
    await page.goBack();
    await shownOn(page, '#home-greeting').waitFor();
    await pageSettled(page);
    expect(await shownOn(page, '#home-greeting').isVisible()).toBe(true);
  });

  it('finds a doctor by what he treats, with his department, and opens his page', async () => {
    await shownOn(page, '#department-search input').fill('房颤');
    const found = shownOn(page, '#search-doctors').getByRole('button', { name: /^韩志明/ });
    await found.waitFor();
    expect(await found.textContent()).toContain('心血管内科');
    expect(await found.textContent()).toContain('擅长：心律失常、房颤射频消融、起搏器随访');
    await screenshot(page, 'home-search-doctor');
    await found.click();
    await shownOn(page, '#doctor-card').getByText(/韩志明/).waitFor();
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
