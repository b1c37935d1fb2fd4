/**
 * Browser journey for hospital staff on the H5 build served by the real local host (a child process
 * with a temporary DATA_DIR; it seeds the demo hospital and 14 days of schedules): as 李护士长 open
 * 我的 -> 医院管理 -> 龚秀英 (皮肤科, clinics on Wednesday and Friday mornings), give her Wednesday
 * mornings 8 places per window and a new evening clinic two days from now, regenerate her schedules,
 * add two extra places to that evening, then see the change as the demo patient on her doctor page
 * and in the catalog. A patient who opens the admin pages sees a kind refusal and changes nothing.
 * (医院管理 › 记录, the reports, are in adminRecords.e2e.test.ts.)
 *
 * Every step opens its own page and logs in; a step whose starting point an earlier step makes in the
 * browser (changed templates, regenerated schedules, the extra places) makes it through the API when
 * it is missing, so any one passes alone (`npx jest tests/e2e/admin.e2e.test.ts -t '<name>'`).
 */
import { rmSync } from 'node:fs';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logInOnDevLogin, openPhonePage, pageSettled, screenshot, shownOn } from '../support/browser';
import { bindOnHost, finishHostTimers } from '../support/hostApi';
import { PEOPLE } from '../support/patients';
import { tempDir } from '../support/runtime';
import { startHostProcess, type StartedHost } from '../support/startProcess';

dayjs.extend(utc);
dayjs.extend(timezone);
jest.setTimeout(120_000);

const WEEKDAY_LABELS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

interface SlotView {
  window: string;
  capacity: number;
  remaining: number;
  extra: boolean;
}
interface DayView {
  date: string;
  periods: { scheduleId: string; period: string; slots: SlotView[] }[];
}
interface Template {
  _id: string;
  weekday: number;
  period: string;
  startTime: string;
  endTime: string;
  slotMinutes: number;
  placesPerSlot: number;
  locationId: string;
}

describe('admin pages in a real browser', () => {
  let host: StartedHost;
  let browser: Browser;
  let page: Page;
  const dataDir = tempDir();
  // Two days ahead is inside the 7-day release window, so its places are bookable at once.
  const target = dayjs().tz('Asia/Shanghai').add(2, 'day');
  const targetDate = target.format('YYYY-MM-DD');
  const targetWeekday = WEEKDAY_LABELS[target.day()];
  let doctorId = '';
  let seededPlaces = 0;

  async function api<T>(name: string, openid: string, body: object): Promise<T> {
    const response = await fetch(`${host.url}/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dev-openid': openid },
      body: JSON.stringify(body),
    });
    const envelope = (await response.json()) as { ok: boolean; data: T; code?: string };
    if (!envelope.ok) throw new Error(`${name}.${(body as { action: string }).action} failed with ${envelope.code}`);
    return envelope.data;
  }
  const patientSchedules = async (id: string) => (await api<{ days: DayView[] }>('catalog', 'demo-patient', { action: 'schedules', doctorId: id })).days;
  const sessions = (days: DayView[], period: string, match: (date: string) => boolean) =>
    days.filter((day) => match(day.date)).flatMap((day) => day.periods.filter((session) => session.period === period));
  const isWednesday = (date: string) => dayjs(date).day() === 3;

  const loginAs = (name: string) => logInOnDevLogin(page, host.url, new RegExp(`^${name}`));
  const targetWeekdayNumber = target.day() === 0 ? 7 : target.day();

  /** The third step's template change (Wednesday mornings 8 places, the evening clinic), through the API if it is not there yet. */
  async function ensureTemplatesChanged(): Promise<void> {
    const { templates } = await api<{ templates: Template[] }>('admin', 'demo-admin', { action: 'templates', doctorId });
    const wednesday = templates.find((template) => template.weekday === 3 && template.period === 'morning')!;
    const { _id: id, weekday, period, startTime, endTime, slotMinutes, locationId } = wednesday;
    if (wednesday.placesPerSlot !== 8) await api('admin', 'demo-admin', { action: 'saveTemplate', id, doctorId, weekday, period, startTime, endTime, slotMinutes, locationId, placesPerSlot: 8 });
    if (!templates.some((template) => template.weekday === targetWeekdayNumber && template.period === 'evening')) {
      await api('admin', 'demo-admin', { action: 'saveTemplate', doctorId, weekday: targetWeekdayNumber, period: 'evening', startTime: '18:00', endTime: '21:00', slotMinutes: 30, placesPerSlot: 3, locationId });
    }
  }

  /** The fourth step's regeneration, through the API if the evening clinic is not on the patient's grid yet. */
  async function ensureRegenerated(): Promise<void> {
    await ensureTemplatesChanged();
    if (sessions(await patientSchedules(doctorId), 'evening', (date) => date === targetDate).length > 0) return;
    const today = dayjs().tz('Asia/Shanghai');
    await api('admin', 'demo-admin', { action: 'generateSchedules', doctorId, from: today.format('YYYY-MM-DD'), to: today.add(13, 'day').format('YYYY-MM-DD') });
  }

  /** The fifth step's two extra places, through the API if the evening has none yet. */
  async function ensureExtraPlaces(): Promise<void> {
    await ensureRegenerated();
    const [evening] = sessions(await patientSchedules(doctorId), 'evening', (date) => date === targetDate);
    if (evening.slots.some((slot) => slot.extra)) return;
    await api('admin', 'demo-admin', { action: 'addExtraSlot', scheduleId: evening.scheduleId, startTime: '21:00', endTime: '21:30', capacity: 2, reason: '复诊患者需当天看检查报告，经科主任同意' });
  }
  /**
   * Turns a time picker as a thumb does. Taro's H5 picker opens at the foot of the screen (its overlay is moved to
   * <body>) with a column for hours and one for minutes, 34 px a row, turned by dragging; then 确定, and the field
   * shows the time. Negative rows are earlier.
   */
  async function turnTimePicker(fieldId: string, turn: { hours?: number; minutes?: number }, expected: string): Promise<void> {
    const field = page.locator(`#${fieldId}`);
    await field.getByRole('button').click();
    // The overlay itself has no box (its mask and sheet are fixed): the sheet is what shows.
    const overlay = shownOn(page, '.weui-picker');
    await overlay.waitFor();
    await pageSettled(page);
    for (const [column, rows] of [[0, turn.hours ?? 0], [1, turn.minutes ?? 0]]) {
      if (!rows) continue;
      const box = (await overlay.locator('.weui-picker__group').nth(column).boundingBox())!;
      const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x, y - rows * 34, { steps: 8 });
      await page.mouse.up();
    }
    await pageSettled(page);
    await overlay.getByText('确定').click();
    await field.getByRole('button', { name: new RegExp(`：${expected}，`) }).waitFor();
  }

  /** Box and smallest text of every element on show that matches, to hold the counter screens to U1. */
  function targetsOn(selectors: string[]) {
    return page.evaluate((list) => {
      const textPx = (element: Element) => {
        // A text box is measured by its frame (the tap target) and the size of what is typed into it.
        const typed = element.matches('input, textarea') ? element : element.querySelector('input, textarea');
        if (typed) return parseFloat(getComputedStyle(typed).fontSize);
        const holders = [element, ...Array.from(element.querySelectorAll('*'))].filter((node) => Array.from(node.childNodes).some((child) => child.nodeType === 3 && child.textContent?.trim()));
        return Math.min(...holders.map((node) => parseFloat(getComputedStyle(node).fontSize)));
      };
      return list.flatMap((selector) =>
        Array.from(document.querySelectorAll(selector))
          .filter((element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden')
          .map((element) => {
            const box = element.getBoundingClientRect();
            return { selector, text: (element.textContent ?? '').trim().slice(0, 12), w: Math.round(box.width), h: Math.round(box.height), px: Math.round(textPx(element) * 10) / 10 };
          }),
      );
    }, selectors);
  }

  async function openMe() {
    await page.locator('.weui-tabbar__label', { hasText: '我的' }).click();
    await page.locator('#elder-mode-switch').waitFor();
  }

  beforeAll(async () => {
    host = await startHostProcess({ DATA_DIR: dataDir });
    // A fresh host's first admin tick catches up on the nightly generation (admin.generateAhead, 00:30). Let it
    // run now: landing between the template change and the regeneration step, it made that step's report
    // "6 unchanged" (seen in CI, about 1 run in 7 here).
    await finishHostTimers(host.url, 'admin');
    browser = await launchBrowser();
    await api('user', 'demo-patient', { action: 'login' });
    await api('user', 'demo-admin', { action: 'login' });
    const { departments } = await api<{ departments: { id: string; name: string }[] }>('catalog', 'demo-patient', { action: 'departments', keyword: 'pf' });
    const skin = departments.find((department) => department.name === '皮肤科')!;
    const { doctors } = await api<{ doctors: { id: string; name: string }[] }>('catalog', 'demo-patient', { action: 'doctors', departmentId: skin.id });
    doctorId = doctors.find((doctor) => doctor.name === '龚秀英')!.id;
    // The seeded places per Wednesday window, read before any step changes them.
    const wednesdays = sessions(await patientSchedules(doctorId), 'morning', isWednesday);
    seededPlaces = wednesdays[0]?.slots[0]?.capacity ?? 0;
  });
  // Each step on a page of its own: nothing it relies on was left behind by the step before.
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

  it('starts from the seeded timetable: the same places in every Wednesday window and no evening clinic', async () => {
    const days = await patientSchedules(doctorId);
    const wednesdays = sessions(days, 'morning', isWednesday);
    expect(wednesdays).toHaveLength(2);
    const capacities = new Set(wednesdays.flatMap((session) => session.slots).map((slot) => slot.capacity));
    expect([...capacities]).toEqual([seededPlaces]);
    expect(seededPlaces).not.toBe(8);
    expect(sessions(days, 'evening', () => true)).toHaveLength(0);
  });

  it('shows 医院管理 in 我的 only to staff and opens the department tree', async () => {
    await loginAs('李护士长');
    await openMe();
    await page.locator('#me-admin').click();
    // The home opens on 临床日; the departments are under 排班.
    await page.locator('#admin-clinic-day').waitFor();
    await page.getByRole('tab', { name: '排班' }).click();
    await page.locator('#admin-home').getByText('医约示范医院').waitFor();
    await page.getByRole('button', { name: '修改皮肤科' }).waitFor();
    await screenshot(page, 'admin-home');
    await page.getByRole('button', { name: /^龚秀英/ }).click();
    await page.locator('#admin-doctor-form').waitFor();
    expect(await page.locator('#doctor-name input').inputValue()).toBe('龚秀英');
    expect(await page.locator('#doctor-fee input').inputValue()).toMatch(/^\d+(\.\d+)?$/);
    expect(page.url()).toContain(`id=${doctorId}`);
  });

  it('changes the Wednesday places and adds an evening clinic, with field errors where they belong', async () => {
    await loginAs('李护士长');
    await page.goto(`${host.url}/#/admin/pages/doctor/index?id=${doctorId}`);
    await page.locator('#admin-doctor-form').waitFor();
    await page.locator('#doctor-open-templates').click();
    const wednesday = page.locator('#template-3-morning');
    await wednesday.getByText(`每个时段 ${seededPlaces} 个号`).waitFor();
    await wednesday.getByRole('button', { name: '修改周三上午' }).click();
    await page.locator('#template-places input').fill('8');
    await page.locator('#template-save').click();
    await page.locator('#templates-message').getByText('请“生成排班”后，患者看到的号源才会更新').waitFor();
    await wednesday.getByText('每个时段 8 个号').waitFor();

    await page.locator('#templates-add').click();
    await page.locator('#template-weekday').getByRole('radio', { name: targetWeekday }).click();
    await page.locator('#template-period').getByRole('radio', { name: '夜间' }).click();
    await page.locator('#template-start').getByText('18:00').waitFor();
    await page.locator('#template-end').getByText('21:00').waitFor();
    await page.locator('#template-slot-minutes input').fill('45');
    await page.locator('#template-places input').fill('3');
    await page.locator('#template-save').click();
    await page.locator('#template-slot-minutes-error').getByText('每个时段最长 30 分钟').waitFor();
    expect(await page.locator('#template-places-error').count()).toBe(0);
    await screenshot(page, 'admin-template-field-error');

    await page.locator('#template-slot-minutes input').fill('30');
    await page.locator('#template-size').getByText('共 6 个时段、18 个号').waitFor();
    await page.locator('#template-save').click();
    const evening = page.locator(`#template-${target.day() === 0 ? 7 : target.day()}-evening`);
    await evening.getByText('夜间 18:00-21:00').waitFor();
    await evening.getByText('每个时段 3 个号，共 18 个号').waitFor();
    await screenshot(page, 'admin-templates');
  });

  it('regenerates her fortnight and reports what changed in sentences', async () => {
    await ensureTemplatesChanged();
    await loginAs('李护士长');
    // From her page in 医院管理 (right after saving a template, its message offers the same page).
    await page.goto(`${host.url}/#/admin/pages/doctor/index?id=${doctorId}`);
    await page.locator('#doctor-open-generate').click();
    await page.locator('#generate-doctor').getByText('龚秀英（主任医师）').waitFor();
    await page.locator('#generate-run').click();
    const report = page.locator('#generate-report');
    await report.getByText('生成完成').waitFor();
    // A sentence that does not come fails with what the report said instead.
    const says = (sentence: string) =>
      report
        .getByText(sentence)
        .waitFor()
        .catch(async (error: Error) => {
          throw new Error(`${error.message}\nthe report said: ${await report.innerText()}`);
        });
    // Each weekday falls twice in the 14 days: two new evenings, two rebuilt Wednesdays, two unchanged Fridays.
    await says('新生成了 2 个出诊，号源已按模板排好。');
    await says('按修改后的模板重新排了 2 个出诊。');
    await says('2 个出诊与模板一致，没有改动。');
    await screenshot(page, 'admin-generate-report');
  });

  it('adds two extra places after the new evening clinic, with a reason', async () => {
    await ensureRegenerated();
    await loginAs('李护士长');
    await page.goto(`${host.url}/#/admin/pages/doctor/index?id=${doctorId}`);
    await page.locator('#doctor-open-extra-slot').click();
    await page.locator('#extra-date').getByRole('radio', { name: new RegExp(`^${target.month() + 1}月${target.date()}日`) }).click();
    await page.locator('#extra-session').getByRole('radio', { name: /^夜间 18:00-21:00，余 18 号/ }).click();
    await page.locator('#extra-start').getByText('21:00').waitFor();
    await page.locator('#extra-end').getByText('21:30').waitFor();
    // The end is picked, never typed: an end an hour earlier is caught before anything is sent.
    await turnTimePicker('extra-end', { hours: -1 }, '20:30');
    await page.locator('#extra-reason textarea').fill('先试一下');
    await page.locator('#extra-submit').click();
    await page.locator('#extra-end-error').getByText('结束时间要晚于开始时间').waitFor();
    await turnTimePicker('extra-end', { hours: 1 }, '21:30');
    await page.locator('#extra-reason textarea').fill('');
    await page.locator('#extra-capacity input').fill('2');
    await page.locator('#extra-submit').click();
    await page.locator('#extra-reason-error').getByText('请简单写明加号原因，便于追溯').waitFor();
    await page.locator('#extra-reason textarea').fill('复诊患者需当天看检查报告，经科主任同意');
    await page.locator('#extra-submit').click();
    await page.locator('#extra-message').getByText(/已为龚秀英医生 .* 夜间加号 2 个（21:00-21:30）/).waitFor();
    await page.locator('#extra-slot-form').getByText('已加号：21:00-21:30 共 2 个，还剩 2 个').waitFor();
    await screenshot(page, 'admin-extra-slot');
  });

  it('shows the patient the new evening clinic and the new places', async () => {
    await ensureExtraPlaces();
    await loginAs('张秀英');
    await openMe();
    expect(await page.locator('#me-admin').count()).toBe(0);

    await page.goto(`${host.url}/#/pages/catalog/doctor/index?id=${doctorId}`);
    const cell = page.locator(`#cell-${targetDate}-evening`);
    await cell.getByText('余 20').waitFor();
    await screenshot(page, 'admin-patient-sees-evening');

    const days = await patientSchedules(doctorId);
    const [eveningSession] = sessions(days, 'evening', (date) => date === targetDate);
    expect(eveningSession.slots.map((slot) => [slot.window, slot.capacity, slot.extra])).toEqual([
      ['18:00-18:30', 3, false],
      ['18:30-19:00', 3, false],
      ['19:00-19:30', 3, false],
      ['19:30-20:00', 3, false],
      ['20:00-20:30', 3, false],
      ['20:30-21:00', 3, false],
      ['21:00-21:30', 2, true],
    ]);
    const wednesdays = sessions(days, 'morning', isWednesday).flatMap((session) => session.slots);
    expect(wednesdays.length).toBeGreaterThan(0);
    expect(wednesdays.every((slot) => slot.capacity === 8 && slot.remaining === 8)).toBe(true);
  });

  it('gives 张秀英 at the desk a place held for her card: doctor found by typing, card found by name and ID last 4', async () => {
    await ensureRegenerated();
    const bound = await bindOnHost(host.url, 'demo-patient', { ...PEOPLE.grandmother, relation: 'self' });
    expect(bound.ok || bound.code === 'PATIENT_ALREADY_BOUND').toBe(true);
    await loginAs('李护士长');
    await page.goto(`${host.url}/#/admin/pages/index/index`);
    await page.locator('#admin-open-desk-place').click();
    await page.locator('#extra-mode').getByRole('radio', { name: '给窗口这位患者', checked: true }).waitFor();
    await page.locator('#extra-doctor input').fill('龚');
    await page.getByRole('button', { name: /^龚秀英（主任医师）/ }).click();
    await page.locator('#extra-date').getByRole('radio', { name: new RegExp(`^${target.month() + 1}月${target.date()}日`) }).click();
    await page.locator('#extra-session').getByRole('radio', { name: /^夜间 18:00-21:00/ }).click();
    await page.locator('#extra-card-name input').fill('张秀英');
    await page.locator('#extra-card-last4 input').fill(PEOPLE.grandmother.idNumber.slice(-4));
    await page.locator('#extra-card-find').click();
    await page.getByRole('button', { name: '为张秀英加号' }).click();
    await page.locator('#extra-reason textarea').fill('老人专程来复诊，经龚主任同意加号');
    await page.locator('#extra-submit').getByText('确认为张秀英加号').click();
    await page.locator('#extra-message').getByText(/已为 张秀英 加号：.*21:00-21:30，第 \d+ 号。请告诉患者：在小程序“预约记录”里 \d+ 分钟内支付挂号费/).waitFor();
    await screenshot(page, 'admin-desk-place');

    // She finds it in her appointments, waiting for her payment; nobody else ever saw it as free.
    const { appointments } = await api<{ appointments: { status: string; date: string }[] }>('booking', 'demo-patient', { action: 'list' });
    expect(appointments).toContainEqual(expect.objectContaining({ status: 'pending_payment', date: targetDate }));
    const [evening] = sessions(await patientSchedules(doctorId), 'evening', (date) => date === targetDate);
    const held = evening.slots.filter((slot) => slot.extra && slot.capacity === 1);
    expect(held.map((slot) => slot.remaining)).toEqual([0]);
  });

  it('keeps the counter screens large in elder mode: section tabs, search rows, time fields and buttons (U1)', async () => {
    await ensureRegenerated();
    await api('user', 'demo-admin', { action: 'setPreferences', elderMode: true });
    try {
      await loginAs('李护士长');
      await page.goto(`${host.url}/#/admin/pages/index/index`);
      await page.locator('#admin-clinic-day').waitFor();
      await pageSettled(page);
      const measured = await targetsOn(['.admin-section-tab', '#admin-clinic-day taro-button-core']);
      await page.goto(`${host.url}/#/admin/pages/extra-slot/index?mode=desk`);
      await page.locator('#extra-doctor input').fill('龚');
      await page.getByRole('button', { name: /^龚秀英（主任医师）/ }).waitFor();
      await pageSettled(page);
      measured.push(...(await targetsOn(['#extra-mode [role="radio"]', '#extra-doctor .admin-input', '.admin-pick-item'])));
      await page.getByRole('button', { name: /^龚秀英（主任医师）/ }).click();
      await page.locator('#extra-date').getByRole('radio', { name: new RegExp(`^${target.month() + 1}月${target.date()}日`) }).click();
      await page.locator('#extra-session').getByRole('radio', { name: /^夜间 18:00-21:00/ }).click();
      await page.locator('#extra-card-find').waitFor();
      measured.push(...(await targetsOn(['#extra-doctor [role="button"]', '#extra-start [role="button"]', '#extra-end [role="button"]', '#extra-card-by [role="radio"]', '#extra-card-name .admin-input', '#extra-card-find'])));
      process.stdout.write(`\nAdmin counter screens in elder mode (target >= 60x60, text >= 18 px, tab/button labels >= 30 px)\n${measured.map((entry) => `${entry.selector} "${entry.text}": ${entry.w}x${entry.h}, ${entry.px} px`).join('\n')}\n`);
      for (const selector of ['.admin-section-tab', '#extra-start [role="button"]', '.admin-pick-item', '#extra-card-find']) expect(measured.some((entry) => entry.selector === selector)).toBe(true);
      const small = measured.filter((entry) => entry.w < 60 || entry.h < 60 || entry.px < 18);
      const smallLabels = measured.filter((entry) => /tab|button-core|find/.test(entry.selector) && entry.px < 30);
      expect([...small, ...smallLabels]).toEqual([]);
    } finally {
      await api('user', 'demo-admin', { action: 'setPreferences', elderMode: false });
    }
  });

  it('tells a patient who opens an admin page that it is for hospital staff, and changes nothing', async () => {
    await loginAs('张秀英');
    const before = await api<{ templates: unknown[] }>('admin', 'demo-admin', { action: 'templates', doctorId });
    await page.goto(`${host.url}/#/admin/pages/templates/index?doctorId=${doctorId}`);
    await page.locator('#admin-forbidden').getByText('这里是医院工作人员使用的页面').waitFor();
    expect(await page.locator('#templates-week').count()).toBe(0);
    await screenshot(page, 'admin-forbidden');

    await page.goto(`${host.url}/#/admin/pages/index/index`);
    await page.locator('#admin-forbidden').getByText('这里是医院工作人员使用的页面').waitFor();
    expect(await page.locator('#admin-home').count()).toBe(0);
    const after = await api<{ templates: unknown[] }>('admin', 'demo-admin', { action: 'templates', doctorId });
    expect(after).toEqual(before);
  });
});
