/**
 * Patient cards in a real browser: the H5 build on the real local host (a child process with a
 * temporary DATA_DIR). 张秀英 adds her own card and her mother's, invites her son 王磊, who accepts and
 * sees the card masked; every card is added once the SMS code sent to the typed phone is entered (read from the
 * host's /dev/sms), so he adds her mother only with the code sent to the phone on record, and she is told; her visit code shows as a QR image and
 * verifies for the demo admin. After
 * the journey neither the data folder nor the host's output holds an ID or phone number in clear.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { idCheckChar } from '../../cloudfunctions/shared/domain/idDocument'
import { PRIVACY_NOTICE_VERSION } from '../../cloudfunctions/shared/domain/privacyNotice'
import { launchBrowser, openPhonePage, pageSettled, screenshot, shownOn } from '../support/browser'
import { advanceHostClock, callHost, smsCodeFor, smsCount } from '../support/hostApi'
import { PEOPLE } from '../support/patients'
import { tempDir } from '../support/runtime'
import { startHostProcess, type StartedHost } from '../support/startProcess'

jest.setTimeout(180_000)

const SELF = PEOPLE.grandmother
/** 张秀英's mother, born 1927: a valid mainland ID built with the real MOD 11-2 check character. */
const MOTHER = { name: '赵淑贞', idNumber: `11010519270308004${idCheckChar('11010519270308004')}`, phone: '13655556666' }
/** Typed into the form and refused there: it must never reach the server either. */
const BAD_CHECKSUM_ID = '110105194912310021'
/** Her grandson, born today, without an ID number yet. */
const GRANDSON = '王小宝'
/** The new phone 张秀英 puts on her own card at the end. */
const NEW_PHONE = '15912348888'
const SECRETS = [SELF.idNumber, SELF.phone, MOTHER.idNumber, MOTHER.phone, BAD_CHECKSUM_ID, NEW_PHONE]

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  )
}

describe('patient cards in a real browser', () => {
  let host: StartedHost
  let browser: Browser
  let page: Page
  const dataDir = tempDir()
  let inviteCode = ''
  let visitCode = ''

  beforeAll(async () => {
    host = await startHostProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'debug' })
    browser = await launchBrowser()
    page = await openPhonePage(browser)
  })
  afterAll(async () => {
    await browser?.close()
    if (host?.child.exitCode === null) await host.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const shown = (selector: string): Locator => shownOn(page, selector)
  const fill = (selector: string, value: string) => shown(`${selector} input`).fill(value)
  const pageText = () => page.evaluate(() => `${document.body.textContent ?? ''}\n${document.body.innerText}`)

  async function expectNoFullNumbers(): Promise<void> {
    const text = await pageText()
    for (const secret of SECRETS) expect(text).not.toContain(secret)
  }

  async function openMe(): Promise<void> {
    const tab = page.locator('.weui-tabbar__label', { hasText: '我的' })
    // The tab bar shows on tab pages only: step back as a user would, with the browser's back.
    for (let steps = 0; steps < 6 && !(await tab.isVisible()); steps++) {
      const from = page.url()
      await page.goBack()
      await page.waitForFunction((previous) => location.href !== previous, from, { timeout: 15_000 })
      await pageSettled(page)
    }
    await tab.click()
    await shown('#me-patients').waitFor()
  }

  async function switchIdentity(name: RegExp): Promise<void> {
    await openMe()
    await shown('taro-button-core:has-text("切换身份")').click()
    await page.getByRole('button', { name }).click()
    await shown('#home-greeting').waitFor()
    await openMe()
  }

  async function openPatientList(): Promise<void> {
    await shown('#me-patients').click()
    await shown('#patients-count, #patients-empty').waitFor()
  }

  const masked = (phone: string) => phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2')

  /** On the prove page: asks for the code (waiting out the minute between codes, as the page says), reads it on /dev/sms, enters it. */
  async function proveTypedPhone(phone: string): Promise<Locator> {
    await shown('#prove-intro').waitFor()
    await expect(shown('#prove-phone').textContent()).resolves.toContain(masked(phone))
    let before = await smsCount(host.url)
    await shown('#prove-send').click()
    const counting = shown('#prove-send').filter({ hasText: /重新获取（\d+ 秒）/ })
    const banner = shown('#prove-banner')
    await counting.or(banner).waitFor()
    const wait = /请 (\d+) 秒后/.exec((await banner.isVisible()) ? ((await banner.textContent()) ?? '') : '')
    if (wait) {
      // The gap between two codes is business time: move the host's clock past it rather than sit it out.
      await advanceHostClock(host.url, (Number(wait[1]) + 1) * 1000)
      before = await smsCount(host.url)
      await shown('#prove-send').click()
      await counting.waitFor()
    }
    const code = await smsCodeFor(host.url, phone, { after: before })
    expect(code).toMatch(/^\d{6}$/)
    await fill('#prove-code', code)
    await shown('#prove-submit').click()
    const done = shown('#prove-done')
    await done.waitFor()
    return done
  }

  async function addPatient(person: { name: string; idNumber: string; phone: string }, relation: string): Promise<void> {
    await fill('#add-name', person.name)
    await fill('#add-id-number', person.idNumber)
    await fill('#add-phone', person.phone)
    await shown(`#relation-${relation}`).click()
    await shown('#add-submit').click()
    await proveTypedPhone(person.phone)
    await shown('#prove-to-list').click()
    await shown('#patients-count').waitFor()
  }

  it('logs in as 张秀英 and finds an empty list that invites her to add a card', async () => {
    await page.goto(host.url)
    await page.getByRole('button', { name: /^张秀英/ }).click()
    await shown('#home-greeting').waitFor()
    await openMe()
    // Patients do not see the staff page.
    expect(await page.locator('#me-verify >> visible=true').count()).toBe(0)
    await openPatientList()
    await shown('#patients-empty').getByText('还没有就诊人').waitFor()
    await screenshot(page, 'patients-empty')
    await shown('#patients-add-first').click()
  })

  it('shows the privacy notice before her first card, with the full text a tap away, and asks only once', async () => {
    // What is collected, why, who is responsible, how long, how to delete: before any field is shown.
    const gate = shown('#privacy-gate')
    await gate.waitFor()
    const text = (await gate.textContent()) ?? ''
    for (const words of ['收集什么', '证件号码', '实名挂号', '医院是这些信息的负责方', '保存多久', '解除绑定']) expect(text).toContain(words)
    expect(await page.locator('#add-submit >> visible=true').count()).toBe(0)
    await screenshot(page, 'patients-privacy-gate')
    await shown('#privacy-read-more').click()
    await expect(shown('#privacy-full').textContent()).resolves.toContain('家人一起管理')
    await expect(shown('#privacy-status').textContent()).resolves.toContain('第一次添加就诊人时')
    await shown('#page-back').click()
    await shown('#privacy-agree').click()
    await shown('#add-submit').waitFor()
    // Recorded on the server for her account, with the notice's version.
    const { user } = await callHost<{ user: { privacy: { agreedVersion: string | null } } }>(host.url, 'demo-patient', 'user', { action: 'login' })
    expect(user.privacy.agreedVersion).toBe(PRIVACY_NOTICE_VERSION)
    await openMe()
    await openPatientList()
    await shown('#patients-add-first').click()
    await shown('#add-submit').waitFor()
    expect(await page.locator('#privacy-gate >> visible=true').count()).toBe(0)
  })

  it('checks the ID number as it is typed, with the same sentences as the server', async () => {
    await fill('#add-id-number', '11010519')
    await expect(shown('#add-id-number-hint').textContent()).resolves.toContain('还差 10 位')
    await fill('#add-id-number', BAD_CHECKSUM_ID)
    await expect(shown('#add-id-number-error').textContent()).resolves.toContain('最后一位校验不对')
    await fill('#add-phone', '1381234')
    await expect(shown('#add-phone-hint').textContent()).resolves.toContain('还差 4 位')
    await fill('#add-name', '张3')
    await expect(shown('#add-name-error').textContent()).resolves.toContain('姓名里不能有数字')
    await screenshot(page, 'patients-add-errors')
    // Saving without a relation: nothing is sent, and the missing choice is named.
    await fill('#add-name', SELF.name)
    await fill('#add-id-number', SELF.idNumber)
    await fill('#add-phone', SELF.phone)
    await shown('#add-submit').click()
    await expect(shown('#add-relation-error').textContent()).resolves.toContain('请选择就诊人与您的关系')
    expect(await page.locator('#add-id-number-error >> visible=true').count()).toBe(0)
  })

  it('adds her own card, then her mother’s, each once the code sent to the typed phone is entered, and lists the default first, masked', async () => {
    await shown('#relation-self').click()
    await shown('#add-submit').click()
    const done = await proveTypedPhone(SELF.phone)
    await expect(done.textContent()).resolves.toContain('主要管理人')
    await shown('#prove-to-list').click()
    await shown('#patients-count').waitFor()
    await shown('#patients-add').click()
    await addPatient(MOTHER, 'parent')
    await expect(shown('#patients-count').textContent()).resolves.toContain('已添加 2 位')

    const rows = page.locator('.patients-row >> visible=true')
    await expect(rows.count()).resolves.toBe(2)
    const first = (await rows.nth(0).textContent()) ?? ''
    expect(first).toContain(SELF.name)
    expect(first).toContain('默认')
    expect(first).toContain('本人')
    expect(first).toContain('1101**********002X')
    expect(first).toContain('138****5678')
    const second = (await rows.nth(1).textContent()) ?? ''
    expect(second).toContain(MOTHER.name)
    expect(second).toContain('父母')
    expect(second).toContain('我管理的')
    expect(second).not.toContain('默认')
    await expectNoFullNumbers()
    await screenshot(page, 'patients-list')
  })

  it('adds her newborn grandson, who has no ID number yet, under her own card once the code to her phone is entered', async () => {
    await shown('#patients-add').click()
    await shown('#add-child-path').click()
    await expect(shown('#child-intro').textContent()).resolves.toContain('未满 14 周岁')
    await fill('#child-name', GRANDSON)
    await shown('#child-sex-male').click()
    // Saving without a birth date names what is missing, and sends nothing.
    await shown('#child-submit').click()
    await expect(shown('#child-birth-error').textContent()).resolves.toContain('出生日期')
    // The date picker opens on today: a newborn is what 确定 picks.
    await shown('#child-birth').click()
    await page.locator('.weui-picker__action >> visible=true', { hasText: '确定' }).click()
    await expect(shown('#child-birth').textContent()).resolves.toMatch(/\d{4}年\d{1,2}月\d{1,2}日/)
    await shown('#child-relation-other').click()
    await fill('#child-phone', SELF.phone)
    await screenshot(page, 'patients-add-child')
    await shown('#child-submit').click()
    // The same proof as a card by ID: the code goes to the phone she typed, and "我是本人" is not offered.
    await shown('#prove-intro').waitFor()
    await expect(shown('#prove-intro').textContent()).resolves.toContain(GRANDSON)
    expect(await page.locator('#prove-who-self >> visible=true').count()).toBe(0)
    const done = await proveTypedPhone(SELF.phone)
    await expect(done.textContent()).resolves.toContain('无证件儿童（监护人代办）')
    await shown('#prove-to-list').click()
    const row = page.locator('.patients-row >> visible=true', { hasText: GRANDSON })
    await row.waitFor()
    await expect(row.textContent()).resolves.toContain('其他')
    await expect(shown('#patients-count').textContent()).resolves.toContain('已添加 3 位')
    await expectNoFullNumbers()
  })

  it('invites a family member to her own card with a code to read out', async () => {
    await page.locator('.patients-row >> visible=true', { hasText: SELF.name }).click()
    await shown('#detail-card').waitFor()
    await shown('#detail-invite').click()
    inviteCode = ((await shown('#invite-code').textContent()) ?? '').trim()
    expect(inviteCode).toMatch(/^[2-9A-HJKMNP-Z]{4} [2-9A-HJKMNP-Z]{4}$/)
    await expect(shown('#invite-box').textContent()).resolves.toContain('24 小时')
    await expectNoFullNumbers()
    await screenshot(page, 'patients-invite')
  })

  it('lets her son 王磊 accept the code and see the card, masked', async () => {
    await switchIdentity(/^王磊/)
    await openPatientList()
    await shown('#patients-accept').click()
    await fill('#accept-code', inviteCode.toLowerCase())
    await shown('#relation-parent').click()
    await shown('#accept-submit').click()
    const done = shown('#accept-done')
    await done.waitFor()
    const text = (await done.textContent()) ?? ''
    expect(text).toContain(SELF.name)
    expect(text).toContain('1101**********002X')
    expect(text).toContain('138****5678')
    expect(text).toContain('家人共享给我的')
    await expectNoFullNumbers()
    await screenshot(page, 'patients-accepted')

    await shown('#accept-to-list').click()
    const row = page.locator('.patients-row >> visible=true', { hasText: SELF.name })
    await row.waitFor()
    await expect(row.textContent()).resolves.toContain('家人共享给我的')
    // Her mother's card was not shared, so it is not his to see.
    await expect(page.locator('.patients-row >> visible=true', { hasText: MOTHER.name }).count()).resolves.toBe(0)
    await expectNoFullNumbers()
  })

  it('lets 王磊 add his grandmother, already on his mother’s account, only by proving the phone on record', async () => {
    await shown('#patients-add').click()
    // His first card of his own: the privacy notice is his to agree to, whatever his mother agreed.
    await shown('#privacy-agree').click()
    await fill('#add-name', MOTHER.name)
    await fill('#add-id-number', MOTHER.idNumber)
    await fill('#add-phone', MOTHER.phone)
    await shown('#relation-other').click()
    await shown('#add-submit').click()
    // The answer every ID bind gets: verify the typed phone (the number shown is the one he typed), an invite as the
    // other way in, and no word about who bound her.
    const intro = shown('#prove-intro')
    await intro.waitFor()
    await expect(intro.textContent()).resolves.toContain('请先验证手机号')
    await expect(shown('#prove-invite').textContent()).resolves.toContain('如果家人已经绑定过这位就诊人')
    expect(await pageText()).not.toMatch(/已由|其他家人绑定/)
    await screenshot(page, 'patients-prove')
    const done = await proveTypedPhone(MOTHER.phone)
    await expect(done.textContent()).resolves.toContain(MOTHER.name)
    await expectNoFullNumbers()
    await screenshot(page, 'patients-proved')
    await shown('#prove-to-list').click()
    await page.locator('.patients-row >> visible=true', { hasText: MOTHER.name }).waitFor()
  })

  it('shows 张秀英 her son among the card’s managers and her visit code as a QR image', async () => {
    await switchIdentity(/^张秀英/)
    await openPatientList()
    await page.locator('.patients-row >> visible=true', { hasText: SELF.name }).click()
    await shown('#detail-card').waitFor()
    // Named as she knows him (her relation to him), not by an account id.
    await expect(shown('.family-manager').textContent()).resolves.toContain('张秀英的子女')
    await shown('#detail-show-visit-code').click()

    const qr = shown('#visit-code-qr img')
    await qr.waitFor()
    await page.waitForFunction(() => {
      const image = Array.from(document.querySelectorAll<HTMLImageElement>('#visit-code-qr img')).find((img) => img.offsetParent !== null)
      return image !== undefined && image.complete && image.naturalWidth > 100
    })
    const box = await qr.boundingBox()
    expect(box!.width).toBeGreaterThan(150)
    expect(box!.height).toBeGreaterThan(150)
    await expect(shown('#visit-code-countdown').textContent()).resolves.toMatch(/还可以用 [45]:\d\d/)
    visitCode = ((await page.locator('#visit-code-raw').last().textContent()) ?? '').trim()
    expect(visitCode).toMatch(/^YY1\./)
    await expectNoFullNumbers()
    await screenshot(page, 'patients-visit-code')
  })

  it('tells 张秀英 on her mother’s card that a family member joined by the SMS code', async () => {
    await openMe()
    await openPatientList()
    await page.locator('.patients-row >> visible=true', { hasText: MOTHER.name }).click()
    await expect(shown('#detail-notices').textContent()).resolves.toContain('验证码，加入了管理这张就诊卡')
    await screenshot(page, 'patients-notice')
  })

  it('verifies the visit code for the demo admin 李护士长, showing the patient masked', async () => {
    await switchIdentity(/^李护士长/)
    await shown('#me-verify').click()
    await fill('#verify-code', visitCode)
    await shown('#verify-submit').click()
    await expect(shown('#verify-name').textContent()).resolves.toBe('张*英')
    const result = (await shown('#verify-result').textContent()) ?? ''
    expect(result).toContain('1101**********002X')
    await expectNoFullNumbers()
    await screenshot(page, 'patients-verified')

    await fill('#verify-code', `${visitCode.slice(0, -2)}xx`)
    await shown('#verify-submit').click()
    await expect(shown('#verify-error').textContent()).resolves.toContain('无法识别')
  })

  it('keeps every tap target of the add form at least 60 x 60 in elder mode', async () => {
    await openMe()
    await shown('#elder-mode-switch').click()
    await shown('.theme-elder #me-patients').waitFor()
    await openPatientList()
    await shown('#patients-add-first').click()
    // The privacy notice comes first for this account too: large enough to read and tap.
    await shown('#privacy-gate').waitFor()
    for (const selector of ['#privacy-read-more', '#privacy-agree', '#privacy-decline']) {
      const box = (await shown(selector).boundingBox())!
      expect({ selector, width: box.width >= 60, height: box.height >= 60 }).toEqual({ selector, width: true, height: true })
    }
    const noticeSize = await shown('#privacy-gate .notice-text').first().evaluate((element) => parseFloat(getComputedStyle(element).fontSize))
    expect(noticeSize).toBeGreaterThanOrEqual(18)
    await screenshot(page, 'patients-privacy-elder')
    await shown('#privacy-agree').click()
    await shown('#add-child-path').click()
    for (const selector of ['#child-name', '#child-sex-female', '#child-birth', '#child-relation-child', '#child-phone', '#child-submit', '#add-document-path']) {
      const box = (await shown(selector).boundingBox())!
      expect({ selector, width: box.width >= 60, height: box.height >= 60 }).toEqual({ selector, width: true, height: true })
    }
    await screenshot(page, 'patients-add-child-elder')
    await shown('#add-document-path').click()
    await shown('#add-submit').waitFor()
    const targets = ['#add-name', '#add-id-number', '#add-phone', '#id-type-mainland_id', '#relation-self', '#relation-other', '#add-submit']
    for (const selector of targets) {
      const box = (await shown(selector).boundingBox())!
      expect({ selector, width: box.width >= 60, height: box.height >= 60 }).toEqual({ selector, width: true, height: true })
    }
    await screenshot(page, 'patients-add-elder')
  })

  it('keeps the proof page readable and tappable in elder mode on a 320 px wide phone', async () => {
    await page.setViewportSize({ width: 320, height: 700 })
    try {
      // Elder mode is still on from the previous step; the form goes on to the proof page as every ID bind does.
      await fill('#add-name', '李桂芳')
      await fill('#add-id-number', '310104196505200026')
      await fill('#add-phone', '13700002222')
      await shown('#relation-other').click()
      await shown('#add-submit').click()
      await shown('#prove-intro').waitFor()
      await screenshot(page, 'patients-prove-elder-320')
      for (const selector of ['#prove-send', '#prove-submit']) {
        const box = (await shown(selector).boundingBox())!
        // Within the screen, allowing for sub-pixel rounding of the page's margins.
        const inside = box.x >= 0 && box.x + box.width <= 320.5
        expect({ selector, width: box.width >= 60, height: box.height >= 60, inside }).toEqual({ selector, width: true, height: true, inside: true })
      }
      const introSize = await shown('#prove-intro').evaluate((element) => parseFloat(getComputedStyle(element).fontSize))
      expect(introSize).toBeGreaterThanOrEqual(18)
      // Nothing wider than the screen: no sideways scrolling for a finger that shakes.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    } finally {
      await page.setViewportSize({ width: 390, height: 844 })
    }
  })

  it('lets 张秀英, the owner, change her card’s phone with the code sent to the new number; her son sees the change, not the button', async () => {
    await switchIdentity(/^张秀英/)
    // Elder mode is each account's own: she turns it on, as the people this page is for would.
    await shown('#elder-mode-switch').click()
    await shown('.theme-elder #me-patients').waitFor()
    await openPatientList()
    await page.locator('.patients-row >> visible=true', { hasText: SELF.name }).click()
    await shown('#detail-card').waitFor()
    await shown('#detail-change-phone').click()
    await shown('#phone-intro').waitFor()
    // The add form's rule, before anything is sent.
    await fill('#phone-new', '0101234567')
    await shown('#phone-send').click()
    await expect(shown('#phone-new-error').textContent()).resolves.toContain('11位数字')
    await fill('#phone-new', NEW_PHONE)
    const before = await smsCount(host.url)
    await shown('#phone-send').click()
    await shown('#phone-send').filter({ hasText: /重新获取（\d+ 秒）/ }).waitFor()
    await expect(shown('#phone-sent').textContent()).resolves.toContain(masked(NEW_PHONE))
    // In elder mode the page's controls are large enough to tap.
    await shown('.page-shell.theme-elder #phone-intro').waitFor()
    for (const selector of ['#phone-new', '#phone-send', '#phone-code', '#phone-submit']) {
      const box = (await shown(selector).boundingBox())!
      expect({ selector, width: box.width >= 60, height: box.height >= 60 }).toEqual({ selector, width: true, height: true })
    }
    await screenshot(page, 'patients-phone-change-elder')
    const code = await smsCodeFor(host.url, NEW_PHONE, { after: before })
    await fill('#phone-code', code)
    await shown('#phone-submit').click()
    await expect(shown('#phone-done').textContent()).resolves.toContain(masked(NEW_PHONE))
    await shown('#phone-back').click()
    await expect(shown('#detail-card').filter({ hasText: masked(NEW_PHONE) }).textContent()).resolves.not.toContain(masked(SELF.phone))
    await expectNoFullNumbers()

    await switchIdentity(/^王磊/)
    await openPatientList()
    await page.locator('.patients-row >> visible=true', { hasText: SELF.name }).click()
    await expect(shown('#detail-notices').textContent()).resolves.toContain('修改了登记手机号')
    await expect(shown('#detail-card').textContent()).resolves.toContain(masked(NEW_PHONE))
    expect(await shown('#detail-change-phone').count()).toBe(0)
    await screenshot(page, 'patients-phone-changed-notice')
  })

  it('left no ID or phone number in clear in the data folder or the host’s output', async () => {
    expect(await host.stop()).toBe(0)
    const files = filesUnder(dataDir)
    expect(files.some((file) => file.includes('store'))).toBe(true)
    for (const file of files) {
      const bytes = readFileSync(file)
      for (const secret of SECRETS) {
        expect({ file: path.relative(dataDir, file), secret, found: bytes.includes(secret) }).toEqual({
          file: path.relative(dataDir, file),
          secret,
          found: false,
        })
      }
    }
    const output = host.output()
    // The output did capture the journey: the host logs every call at debug level.
    expect(output).toMatch(/patient/)
    for (const secret of SECRETS) expect(output).not.toContain(secret)
  })
})
