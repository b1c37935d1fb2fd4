/**
 * Browser journey through the message center (issue 13) on the H5 build served by the real local host
 * with its HIS and WeChat Pay stand-ins. H5 has no subscription messages, so 消息 is the only channel:
 * a priced slot booked and paid at the sandbox cashier puts "预约成功" there (with an unread badge on
 * 我的); cancelling it from 预约记录 puts the cancellation with its refund there, and the refund once
 * WeChat Pay reports it done. Any console error fails the journey.
 *
 * The steps share one page and run in order; `journey` holds what earlier steps found.
 */
import { rmSync } from 'node:fs'
import type { Browser, Locator, Page } from 'playwright-core'
import { lastOpenCellOn, launchBrowser, openPhonePage, screenshot, shownOn } from '../support/browser'
import { callHost } from '../support/hostApi'
import { ownCardOnHost, pricedDoctorsOnHost, refundsAtOnceNow, type PricedDoctor } from '../support/journeySetup'
import { tempDir } from '../support/runtime'
import { startHostProcess, type StartedHost } from '../support/startProcess'

jest.setTimeout(150_000)

const WAIT = { timeout: 30_000 }

describe('the message center in a real browser', () => {
  let host: StartedHost
  let browser: Browser
  let page: Page
  const consoleErrors: string[] = []
  const dataDir = tempDir()
  const journey: { doctor?: PricedDoctor; appointmentId?: string } = {}

  beforeAll(async () => {
    host = await startHostProcess({ DATA_DIR: dataDir })
    browser = await launchBrowser()
    page = await openPhonePage(browser)
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.text()} (at ${page.url()})`)
    })
    page.on('pageerror', (error) => consoleErrors.push(error.message))
  })
  afterEach(() => {
    // Taken per step, so one step's error is not blamed on the next.
    expect(consoleErrors.splice(0)).toEqual([])
  })
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const shown = (selector: string): Locator => shownOn(page, selector)
  const call = <T>(fn: string, body: Record<string, unknown>) => callHost<T>(host.url, 'demo-patient', fn, body)

  /** Opens 消息 afresh until a card of `event` for the appointment says `text` (messages arrive with their events). */
  async function messageCard(event: string, text: string): Promise<Locator> {
    const card = page.locator(`.message-card[data-event="${event}"] >> visible=true`).filter({ hasText: text }).first()
    for (let tries = 0; tries < 20; tries += 1) {
      await page.goto('about:blank')
      await page.goto(`${host.url}/#/pages/messages/index/index`)
      await shown('#messages-open-settings').waitFor(WAIT)
      if (await card.isVisible()) return card
      await page.locator('.message-card >> visible=true').first().waitFor({ timeout: 2000 }).catch(() => undefined)
      if (await card.isVisible()) return card
    }
    throw new Error(`no ${event} message saying ${text}`)
  }

  it('logs in as the demo patient with her card and finds a priced doctor', async () => {
    await page.goto(host.url)
    await page.getByRole('button', { name: /^张秀英/ }).click()
    await page.locator('#home-greeting').waitFor(WAIT)
    await ownCardOnHost(host.url)
    journey.doctor = (await pricedDoctorsOnHost(host.url))[0]
    expect(journey.doctor).toBeDefined()
  })

  it('books and pays at the sandbox cashier, then finds 预约成功 in 消息 with a badge on 我的', async () => {
    await page.goto('about:blank')
    await page.goto(`${host.url}/#/pages/catalog/doctor/index?id=${journey.doctor!.id}`)
    await lastOpenCellOn(page).click()
    await shown('#slot-panel .slot-item-open').click()
    await shown('#booking-sheet .sheet-patient-chosen').getByText('张秀英').waitFor(WAIT)
    await shown('#booking-confirm').click()
    await shown('#booking-result[data-status="pending_payment"]').waitFor(WAIT)
    journey.appointmentId = new URL(page.url().replace('/#/', '/')).searchParams.get('id')!
    await shown('#payment-box .pay-action-button').click()
    await shown('#cashier-pay').click()
    await shown('#booking-result[data-status="booked"]').waitFor(WAIT)

    await page.goto('about:blank')
    await page.goto(`${host.url}/#/pages/me/index/index`)
    const badge = shown('#me-messages-badge')
    await badge.waitFor(WAIT)
    expect(Number(await badge.textContent())).toBeGreaterThanOrEqual(1)
    await shown('#me-messages').click()

    const confirmed = page.locator('.message-card[data-event="booking_confirmed"] >> visible=true').first()
    await confirmed.waitFor(WAIT)
    expect(await confirmed.locator('.message-title').textContent()).toBe('预约成功')
    expect(await confirmed.locator('.message-text').textContent()).toContain('张秀英的号约好了')
    expect(await confirmed.locator('.message-time').textContent()).toMatch(/^\d+月\d+日 \d\d:\d\d$/)
    // H5 sends no WeChat notice, so the card does not claim one.
    expect(await confirmed.locator('.message-notice').count()).toBe(0)
    await screenshot(page, 'messages-confirmed')

    // Opening 消息 read them: 我的 has no badge any more.
    const { unread } = await call<{ unread: number }>('message', { action: 'list' })
    expect(unread).toBe(0)
    await page.goto('about:blank')
    await page.goto(`${host.url}/#/pages/me/index/index`)
    await shown('#me-messages').waitFor(WAIT)
    expect(await page.locator('#me-messages-badge >> visible=true').count()).toBe(0)

    // 查看预约 opens the appointment.
    await page.goto(`${host.url}/#/pages/messages/index/index`)
    await page.locator('.message-card[data-event="booking_confirmed"] >> visible=true').first().locator('.message-open').click()
    await shown(`#booking-result[data-status="booked"]`).waitFor(WAIT)
    expect(page.url()).toContain(`id=${journey.appointmentId}`)
  })

  it('cancels from 预约记录 and finds the cancellation and the refund in 消息', async () => {
    await page.goto('about:blank')
    await page.goto(`${host.url}/#/pages/appointments/index/index`)
    const card = shown(`#appointments-active [data-appointment-id="${journey.appointmentId}"]`)
    await card.waitFor(WAIT)
    const atOnce = refundsAtOnceNow()
    await card.getByText('取消预约').click()
    const dialog = page.getByRole('alertdialog')
    await dialog.waitFor(WAIT)
    await dialog.getByRole('button', { name: '确认取消' }).click()
    await shown('#tab-history').click()
    await shown(`#appointments-history [data-appointment-id="${journey.appointmentId}"] .refund-note`).waitFor(WAIT)

    const cancelled = await messageCard('cancelled', '挂号费会原路退回')
    expect(await cancelled.locator('.message-title').textContent()).toBe('预约已取消')
    if (atOnce && refundsAtOnceNow()) {
      const refunded = await messageCard('refund_completed', '原路退回')
      expect(await refunded.locator('.message-title').textContent()).toBe('挂号费已退回')
    }
    await screenshot(page, 'messages-refund')
  })

  it('turns the day-before reminder off and on in 消息设置', async () => {
    await shown('#messages-open-settings').click()
    const toggle = shown('#message-reminders-switch')
    await toggle.waitFor(WAIT)
    expect(await toggle.getAttribute('aria-label')).toContain('已打开')
    await toggle.click()
    await page.locator('#message-reminders-switch[aria-label$="已关闭"] >> visible=true').waitFor(WAIT)
    expect((await call<{ reminders: boolean }>('message', { action: 'settings' })).reminders).toBe(false)
    await toggle.click()
    await page.locator('#message-reminders-switch[aria-label$="已打开"] >> visible=true').waitFor(WAIT)
    expect((await call<{ reminders: boolean }>('message', { action: 'settings' })).reminders).toBe(true)
  })
})
