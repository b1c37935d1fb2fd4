/**
 * Browser journey for 医院管理 › 记录 on the H5 build served by the real local host (a child process with a
 * temporary DATA_DIR and the demo hospital): 李护士长 opens 对账报告 for today, which says what the WeChat
 * Pay stand-in's bill allows, and 疑似抢号脚本, which lists an account that polled a schedule in a burst.
 * Each step opens its own page and logs in, so either passes alone.
 */
import { rmSync } from 'node:fs';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logInOnDevLogin, openPhonePage, screenshot } from '../support/browser';
import { callHost } from '../support/hostApi';
import { tempDir } from '../support/runtime';
import { startHostProcess, type StartedHost } from '../support/startProcess';

dayjs.extend(utc);
dayjs.extend(timezone);
jest.setTimeout(120_000);

describe('医院管理 › 记录 in a real browser', () => {
  let host: StartedHost;
  let browser: Browser;
  let page: Page;
  const dataDir = tempDir();
  let doctorId = '';

  const loginAs = (name: string) => logInOnDevLogin(page, host.url, new RegExp(`^${name}`));

  beforeAll(async () => {
    host = await startHostProcess({ DATA_DIR: dataDir });
    browser = await launchBrowser();
    await callHost(host.url, 'demo-admin', 'user', { action: 'login' });
    const { departments } = await callHost<{ departments: { id: string; name: string }[] }>(host.url, 'demo-admin', 'catalog', { action: 'departments', keyword: 'pf' });
    const skin = departments.find((department) => department.name === '皮肤科')!;
    const { doctors } = await callHost<{ doctors: { id: string; name: string }[] }>(host.url, 'demo-admin', 'catalog', { action: 'doctors', departmentId: skin.id });
    doctorId = doctors.find((doctor) => doctor.name === '龚秀英')!.id;
  });
  // Each step on a page of its own.
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

  it('opens 对账报告 from 医院管理 and reconciles today as the WeChat Pay stand-in answers', async () => {
    // Today's bill is normally still being made (BILL_NOT_READY); a day without trades has no bill at
    // all, which the backend reconciles as an empty one. Ask first, then expect the page to say the same.
    const today = dayjs().tz('Asia/Shanghai').format('YYYY-MM-DD');
    const response = await fetch(`${host.url}/api/payment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dev-openid': 'demo-admin' },
      body: JSON.stringify({ action: 'reconcile', date: today }),
    });
    const answer = (await response.json()) as
      | { ok: true; data: { report: { billTrades: number; matched: number; refundsSent: number; findings: unknown[] } } }
      | { ok: false; code: string; message: string };

    await loginAs('李护士长');
    await page.goto(`${host.url}/#/admin/pages/reconciliation/index?date=${today}`);
    await page.getByRole('button', { name: `对账日期：${today}` }).waitFor();
    if (answer.ok) {
      const { report } = answer.data;
      expect(report.billTrades).toBe(0);
      const summary = `账单 0 笔，核对一致 ${report.matched} 笔，已发出退款 ${report.refundsSent} 笔，发现问题 ${report.findings.length} 条`;
      await page.locator('#reconciliation-report').getByText(summary).waitFor();
      await page.locator('#reconciliation-run').getByText('重新对账').click();
      await page.locator('#reconciliation-message').getByText('对账完成，结果已更新。').waitFor();
      await page.locator('#reconciliation-report').getByText(summary).waitFor();
    } else {
      expect(answer.code).toBe('BILL_NOT_READY');
      await page.locator('#reconciliation-empty').getByText('这一天还没有对账').waitFor();
      await page.locator('#reconciliation-run').getByText('立即对账').click();
      await page.locator('#reconciliation-message').getByText(answer.message).waitFor();
      expect(await page.locator('#reconciliation-report').count()).toBe(0);
    }
    await screenshot(page, 'admin-reconciliation');

    // 医院管理 links to it, opening on yesterday (either side of a midnight passing during the test).
    const yesterdayBefore = dayjs().tz('Asia/Shanghai').subtract(1, 'day').format('YYYY-MM-DD');
    await page.goto(`${host.url}/#/admin/pages/index/index`);
    await page.getByRole('tab', { name: '记录' }).click();
    await page.locator('#admin-open-reconciliation').click();
    const yesterdayAfter = dayjs().tz('Asia/Shanghai').subtract(1, 'day').format('YYYY-MM-DD');
    // getByRole sees only the page on screen, not the dated one Taro may keep hidden in its stack.
    await page.getByRole('button', { name: new RegExp(`^对账日期：(${yesterdayBefore}|${yesterdayAfter})$`) }).waitFor();
  });

  it('opens 疑似抢号脚本 from 医院管理: an account that polled the schedule in a burst is listed, masked', async () => {
    // A script reading 龚秀英's schedule back to back, past the 60-a-minute limit.
    for (let i = 0; i < 65; i++) {
      await fetch(`${host.url}/api/catalog`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-dev-openid': 'e2e-script-poller' },
        body: JSON.stringify({ action: 'schedules', doctorId }),
      });
    }
    await loginAs('李护士长');
    await page.goto(`${host.url}/#/admin/pages/index/index`);
    await page.getByRole('tab', { name: '记录' }).click();
    await page.locator('#admin-open-scripting').click();
    const listed = page.locator('#scripting-accounts .scripting-account', { hasText: 'e2e-**********ler' });
    await listed.getByText('一秒内反复请求、被限制过频率').waitFor({ timeout: 30_000 });
    expect(await page.locator('#scripting-accounts').getByText('e2e-script-poller').count()).toBe(0);
    await screenshot(page, 'admin-scripting');
  });
});
