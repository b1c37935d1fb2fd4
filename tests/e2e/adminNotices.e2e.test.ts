/**
 * 公告与医院信息 in a real browser, on the H5 build served by the real local host: 李护士长 opens it
 * from 医院管理, is told beside the title field when it is too short, posts a notice, and 张秀英 sees it
 * on her home page; 李护士长 takes it down with the app's own dialog and it is gone from the home page
 * (another notice stays, so the home page has loaded its notices when we look). A phone number with
 * letters is refused beside the phone field; the corrected one is what the patient's home page shows.
 */
import { rmSync } from 'node:fs';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPhonePage, screenshot, shownOn } from '../support/browser';
import { callHost } from '../support/hostApi';
import { tempDir } from '../support/runtime';
import { startHostProcess, type StartedHost } from '../support/startProcess';

dayjs.extend(utc);
dayjs.extend(timezone);
jest.setTimeout(180_000);

const TITLE = '周六上午门诊调整';
const BODY = '本周六上午心内科门诊改到门诊楼 2 楼 B 区，请直接到 B 区护士站签到。\n其他科室照常。';
const STAYING = '停车提示';

interface AdminNoticeItem {
  id: string;
  title: string;
  state: string;
}

describe('公告与医院信息 in a real browser', () => {
  let host: StartedHost;
  let browser: Browser;
  let page: Page;
  const dataDir = tempDir();
  const consoleErrors: string[] = [];
  const shown = (selector: string) => shownOn(page, selector);
  const staffNotices = async () => (await callHost<{ notices: AdminNoticeItem[] }>(host.url, 'demo-admin', 'admin', { action: 'notices' })).notices;

  async function loginAs(name: string) {
    await page.goto('about:blank');
    await page.goto(`${host.url}/#/pages/dev/login/index`);
    await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
    await page.locator('#home-greeting').waitFor();
  }
  async function openHomeContent() {
    await page.goto(`${host.url}/#/admin/pages/index/index`);
    await page.getByRole('tab', { name: '消息' }).click();
    await shown('#admin-open-home-content').click();
    await shown('#admin-notices').waitFor();
  }

  beforeAll(async () => {
    host = await startHostProcess({ DATA_DIR: dataDir });
    browser = await launchBrowser();
    page = await openPhonePage(browser);
    page.on('console', (message) => {
      // The too-short title and the phone with letters are refused with 400 on purpose; the browser logs
      // those answers, and the steps check the sentences shown beside the fields. Anything else fails.
      const provoked = /Failed to load resource: the server responded with a status of 400/.test(message.text());
      if (message.type() === 'error' && !provoked) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await callHost(host.url, 'demo-admin', 'user', { action: 'login' });
    const today = dayjs().tz('Asia/Shanghai');
    await callHost(host.url, 'demo-admin', 'admin', {
      action: 'saveNotice',
      title: STAYING,
      body: '门诊楼地下车库车位紧张，请尽量乘坐地铁 1 号线到示范路站。',
      from: today.subtract(1, 'day').format('YYYY-MM-DD'),
      until: today.add(3, 'day').format('YYYY-MM-DD'),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(consoleErrors).toEqual([]);
  });

  it('posts a notice after a too-short title is pointed out beside the field', async () => {
    await loginAs('李护士长');
    await openHomeContent();
    await shown('#admin-notices').getByText(STAYING).waitFor();
    await shown('#notice-new').click();
    await shown('#notice-title input').fill('调');
    await shown('#notice-body textarea').fill(BODY);
    await shown('#notice-save').click();
    await shown('#notice-title-error').getByText('公告标题至少 2 个字').waitFor();
    expect(await page.locator('#notice-body-error').count()).toBe(0);
    expect((await staffNotices()).map((notice) => notice.title)).toEqual([STAYING]);
    await screenshot(page, 'admin-notice-field-error');

    await shown('#notice-title input').fill(TITLE);
    await shown('#notice-save').click();
    await shown('#notices-message').getByText(`已发布“${TITLE}”，患者现在打开首页就能看到。`).waitFor();
    const posted = (await staffNotices()).find((notice) => notice.title === TITLE)!;
    expect(posted.state).toBe('showing');
    const row = shown(`#notice-${posted.id}`);
    expect(await row.textContent()).toContain('展示中');
    expect(await page.locator('#notice-form').count()).toBe(0);
    await screenshot(page, 'admin-notices');
  });

  it('shows the posted notice on the patient home page', async () => {
    await loginAs('张秀英');
    const notices = shown('#home-notices');
    await notices.getByText(TITLE).waitFor();
    expect(await notices.textContent()).toContain(STAYING);
  });

  it('takes the notice down after the app asks, and the patient no longer sees it', async () => {
    const posted = (await staffNotices()).find((notice) => notice.title === TITLE)!;
    await loginAs('李护士长');
    await openHomeContent();
    const row = shown(`#notice-${posted.id}`);
    await row.getByRole('button', { name: '撤下' }).click();
    const dialog = page.getByRole('alertdialog', { name: '撤下这条公告？' });
    await dialog.getByText(`患者首页马上不再显示“${TITLE}”`).waitFor();
    await screenshot(page, 'admin-notice-take-down');
    await dialog.getByRole('button', { name: '撤下' }).click();
    await row.getByText('已撤下').waitFor();
    expect(await row.getByRole('button', { name: '撤下' }).count()).toBe(0);
    expect((await staffNotices()).find((notice) => notice.id === posted.id)!.state).toBe('unpublished');

    await loginAs('张秀英');
    const notices = shown('#home-notices');
    await notices.getByText(STAYING).waitFor();
    expect(await notices.textContent()).not.toContain(TITLE);
  });

  it('refuses a phone with letters beside the field and shows the corrected one to the patient', async () => {
    await loginAs('李护士长');
    await openHomeContent();
    const form = shown('#contact-form');
    expect(await form.locator('#contact-phone input').inputValue()).toBe('025-8000 0100');
    await form.locator('#contact-phone input').fill('025-八千');
    await form.locator('#contact-save').click();
    await form.locator('#contact-phone-error').getByText('电话号码只能有数字、空格和短横线，例如 025-8000 0100').waitFor();
    expect(await form.locator('#contact-address-error').count()).toBe(0);
    await screenshot(page, 'admin-contact-field-error');

    await form.locator('#contact-phone input').fill('025-8000 0199');
    await form.locator('#contact-save').click();
    await form.locator('#contact-message').getByText(/^已保存/).waitFor();
    expect(await form.locator('#contact-phone-error').count()).toBe(0);

    await loginAs('张秀英');
    await shown('#hospital-info').getByText('咨询电话：025-8000 0199').waitFor();
  });
});
