/**
 * Browser journey through a clinic day (issue 14) on the H5 build served by the real local host. 张秀英
 * (the demo patient) books free places two, three and four days ahead; her son 王磊 books
 * an earlier place in the first session and is checked in. The business clock then moves to the morning
 * of the first visit day. As 李护士长: stop the doctor's session of the second booking and watch the job
 * reach done; check 张秀英 in by her visit code (one big button, the queue sentence); look her up by
 * appointment number with a reason; see the look-up in 操作记录. As 张秀英: the stopped appointment shows
 * 停诊 with the hospital's notice and a place to rebook one tap away, the checked-in one 已签到 with her place
 * in the queue, and 签到 on the later one answers that it is not the time yet. Late that day, once the timer has
 * marked the later visit she never came to, her card's detail page shows the 爽约 record and until when
 * online booking is paused.
 * Any console error in the page fails the journey.
 */
import { rmSync } from 'node:fs'
import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, openPhonePage, screenshot, shownOn } from '../support/browser'
import { bindOnHost, callHost, runHostTimers, setClock } from '../support/hostApi'
import { PEOPLE } from '../support/patients'
import { tempDir } from '../support/runtime'
import { startHostProcess, type StartedHost } from '../support/startProcess'

dayjs.extend(utc)
dayjs.extend(timezone)
jest.setTimeout(180_000)

const ZONE = 'Asia/Shanghai'
const STOP_REASON = '医生临时外出会诊'
/** Counter buttons are tapped standing up: at least this tall in CSS pixels on a phone. */
const MIN_COUNTER_TARGET_PX = 60

interface Doctor {
  id: string
  name: string
  feeFen: number
  departmentId: string
}
interface Slot {
  id: string
  window: string
  bookable: boolean
  remaining: number
}
interface Session {
  scheduleId: string
  label: string
  slots: Slot[]
}
interface Day {
  date: string
  label: string
  periods: Session[]
}
interface Booked {
  doctor: Doctor
  day: Day
  session: Session
  appointmentId: string
}

describe('a clinic day in a real browser', () => {
  let host: StartedHost
  let browser: Browser
  let page: Page
  const consoleErrors: string[] = []
  const dataDir = tempDir()
  const visitDay = dayjs().tz(ZONE).add(2, 'day').format('YYYY-MM-DD')
  const stopDay = dayjs().tz(ZONE).add(3, 'day').format('YYYY-MM-DD')
  const laterDay = dayjs().tz(ZONE).add(4, 'day').format('YYYY-MM-DD')
  const journey: { grandmotherId?: string; checkIn?: Booked; stopped?: Booked; later?: Booked } = {}

  const call = <T>(openid: string, fn: string, body: Record<string, unknown>) => callHost<T>(host.url, openid, fn, body)
  const shown = (selector: string) => shownOn(page, selector)

  async function loginAs(name: string) {
    await page.goto('about:blank')
    await page.goto(`${host.url}/#/pages/dev/login/index`)
    await page.getByRole('button', { name: new RegExp(`^${name}`) }).click()
    await page.locator('#home-greeting').waitFor()
  }

  /** A free doctor outside 儿/妇/产/男 clinics with an open session on `date`, in a department not in `skip`. */
  async function freeSessionOn(date: string, skip: string[]): Promise<{ doctor: Doctor; day: Day; session: Session }> {
    const { departments } = await call<{ departments: { id: string; name: string }[] }>('demo-patient', 'catalog', { action: 'departments' })
    for (const department of departments.filter((entry) => !/儿|妇|产|男/.test(entry.name))) {
      const { doctors } = await call<{ doctors: Doctor[] }>('demo-patient', 'catalog', { action: 'doctors', departmentId: department.id })
      for (const doctor of doctors.filter((entry) => entry.feeFen === 0 && !skip.includes(entry.departmentId))) {
        const { days } = await call<{ days: Day[] }>('demo-patient', 'catalog', { action: 'schedules', doctorId: doctor.id })
        const day = days.find((entry) => entry.date === date)
        const session = day?.periods.find((entry) => entry.slots.filter((slot) => slot.bookable && slot.remaining > 0).length >= 2)
        if (day && session) return { doctor, day, session }
      }
    }
    throw new Error(`no free session with room on ${date}`)
  }

  async function hold(openid: string, patientId: string, slotId: string): Promise<string> {
    const answer = await call<{ outcome: string; appointment: { id: string } }>(openid, 'booking', { action: 'hold', slotId, patientId, requestId: `e2e-${openid}-${slotId}` })
    expect(answer.outcome).toBe('booked')
    return answer.appointment.id
  }

  beforeAll(async () => {
    host = await startHostProcess({ DATA_DIR: dataDir })
    browser = await launchBrowser()
    page = await openPhonePage(browser)
    page.on('console', (message) => {
      // Coded refusals the journey provokes on purpose (a missing reason: 400; 签到 too early: 409) are HTTP
      // answers the browser logs; the page shows their sentences, which the steps check. Anything else fails.
      const provoked = /Failed to load resource: the server responded with a status of (400|409)/.test(message.text())
      if (message.type() === 'error' && !provoked) consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => consoleErrors.push(String(error)))
  })
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  afterEach(() => {
    expect(consoleErrors.splice(0)).toEqual([])
  })

  it('books 张秀英 into three sessions, her son ahead of her in the first, and moves the clock to that morning', async () => {
    await call('demo-patient', 'user', { action: 'login' })
    await call('demo-family', 'user', { action: 'login' })
    const grandmother = await bindOnHost(host.url, 'demo-patient', { ...PEOPLE.grandmother, relation: 'self' })
    const son = await bindOnHost(host.url, 'demo-family', { ...PEOPLE.son, relation: 'self' })
    expect(grandmother.ok && son.ok).toBe(true)
    journey.grandmotherId = grandmother.data!.patient.id

    const first = await freeSessionOn(visitDay, [])
    const open = first.session.slots.filter((slot) => slot.bookable && slot.remaining > 0)
    const sonAppointment = await hold('demo-family', son.data!.patient.id, open[0].id)
    journey.checkIn = { ...first, appointmentId: await hold('demo-patient', journey.grandmotherId, open.at(-1)!.id) }
    const second = await freeSessionOn(stopDay, [first.doctor.departmentId])
    const slot = second.session.slots.find((entry) => entry.bookable && entry.remaining > 0)!
    journey.stopped = { ...second, appointmentId: await hold('demo-patient', journey.grandmotherId, slot.id) }
    const third = await freeSessionOn(laterDay, [])
    const laterSlot = third.session.slots.find((entry) => entry.bookable && entry.remaining > 0)!
    journey.later = { ...third, appointmentId: await hold('demo-patient', journey.grandmotherId, laterSlot.id) }

    // Early on the visit day, before the first session starts.
    const morning = dayjs.tz(`${visitDay} 06:30`, ZONE).toISOString()
    const clock = await fetch(`${host.url}/dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ at: morning }) })
    expect(clock.ok).toBe(true)
    // The son arrived first and was checked in at the counter.
    await call('demo-admin', 'user', { action: 'login' })
    await call('demo-admin', 'admin', { action: 'checkIn', appointmentId: sonAppointment })
  })

  it('lets 李护士长 stop a session and watch the job reach done', async () => {
    const { doctor, day, session } = journey.stopped!
    await loginAs('李护士长')
    await page.locator('.weui-tabbar__label', { hasText: '我的' }).click()
    await page.locator('#me-admin').click()
    await page.locator('#admin-clinic-day').waitFor()
    await screenshot(page, 'clinic-day-admin-home')

    await page.goto(`${host.url}/#/admin/pages/stop-clinic/index?doctorId=${doctor.id}`)
    await shown('#stop-scope').getByRole('radio', { name: '一次出诊' }).click()
    await shown('#stop-date').getByRole('radio', { name: day.label }).click()
    await shown('#stop-session').getByRole('radio', { name: session.label }).click()
    await shown('#stop-submit').click()
    // A reason is required: the field says so and nothing is stopped.
    await shown('#stop-confirm-yes').click()
    await shown('#stop-reason-error').waitFor({ timeout: 30_000 })
    await shown('#stop-reason input').fill(STOP_REASON)
    await shown('#stop-submit').click()
    await shown('#stop-confirm-text').getByText(`确定停掉${doctor.name}医生`).waitFor()
    await shown('#stop-confirm-yes').click()

    const job = shown('#clinic-job')
    await job.locator('.title').getByText(`停诊：${doctor.name}`).waitFor({ timeout: 30_000 })
    await shown('#clinic-job[data-status="finished"]').waitFor({ timeout: 60_000 })
    await shown('#clinic-job-finished').waitFor()
    expect(await shown('#clinic-count-done .clinic-count-figure').textContent()).toBe('1')
    expect(await shown('#clinic-count-failed .clinic-count-figure').textContent()).toBe('0')
    expect(await shown('#clinic-count-remaining .clinic-count-figure').textContent()).toBe('0')
    await screenshot(page, 'clinic-day-stop-done')
  })

  it('checks 张秀英 in by her visit code with one big button and reads out her place in the queue', async () => {
    const { code } = await call<{ code: string }>('demo-patient', 'patient', { action: 'visitCode', patientId: journey.grandmotherId })
    await page.goto(`${host.url}/#/admin/pages/index/index`)
    await shown('#admin-open-check-in').click()
    await shown('#check-in-code input').fill(code)
    await shown('#check-in-find').click()
    await shown('#check-in-patient').getByText('张秀英').first().waitFor({ timeout: 30_000 })
    const button = shown(`#counter-check-in-${journey.checkIn!.appointmentId}`)
    await button.waitFor()
    expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(MIN_COUNTER_TARGET_PX)
    await shown(`#counter-${journey.checkIn!.appointmentId}`).getByText(`${journey.checkIn!.doctor.name}医生`).waitFor()
    await button.click()
    await shown('#check-in-done').getByText('已签到，前面还有 1 人，请留意叫号。').waitFor({ timeout: 30_000 })
    await shown(`#counter-queue-${journey.checkIn!.appointmentId}`).getByText('前面还有 1 人').waitFor()
    await screenshot(page, 'clinic-day-check-in')
  })

  it('looks 张秀英 up by appointment number only with a reason, and the look-up shows in 操作记录', async () => {
    await page.goto(`${host.url}/#/admin/pages/lookup/index`)
    await shown('#lookup-by').getByRole('radio', { name: '预约编号' }).click()
    await shown('#lookup-text input').fill(journey.stopped!.appointmentId)
    await shown('#lookup-submit').click()
    await shown('#lookup-reason-error').getByText('请选择查询原因').waitFor({ timeout: 30_000 })
    await shown('#lookup-reason').getByRole('radio', { name: '窗口办理业务' }).click()
    await shown('#lookup-submit').click()
    const person = shown(`#person-${journey.grandmotherId}`)
    await person.getByText('张秀英').first().waitFor({ timeout: 30_000 })
    await person.getByText('已取消（停诊）').waitFor()
    await person.getByText('已签到').waitFor()
    await person.getByText('可以正常在网上预约。').waitFor()
    // ID and phone stay masked on the staff screen.
    expect(await person.textContent()).not.toContain(PEOPLE.grandmother.idNumber)
    expect(await person.textContent()).not.toContain(PEOPLE.grandmother.phone)
    await screenshot(page, 'clinic-day-lookup')

    await page.goto(`${host.url}/#/admin/pages/audit/index`)
    await shown('#audit-action').getByRole('radio', { name: '查询患者' }).click()
    await shown('#audit-submit').click()
    await shown('#audit-entries .audit-entry[data-action="admin.lookupPatient"]').waitFor({ timeout: 30_000 })
  })

  it('shows 张秀英 the stopped appointment with the notice and places to rebook, and the other as 已签到 with the queue', async () => {
    await loginAs('张秀英')
    await page.locator('.weui-tabbar__label', { hasText: '预约记录' }).click()
    // 预约记录: the checked-in one says where she stands, the stopped one says 停诊 and why.
    await shown(`[data-appointment-id="${journey.checkIn!.appointmentId}"] .appointment-queue`).getByText('前面还有 1 人').waitFor({ timeout: 30_000 })
    await shown('#tab-history').click()
    const stoppedCard = shown(`[data-appointment-id="${journey.stopped!.appointmentId}"]`)
    await stoppedCard.getByText(`医生停诊（${STOP_REASON}）`, { exact: false }).waitFor()
    await stoppedCard.getByText('停诊 · 已取消').waitFor()
    await stoppedCard.locator('.appointment-body').click()
    await shown('#clinic-stopped').getByText(`停诊原因：${STOP_REASON}`).waitFor({ timeout: 30_000 })
    await page.goto(`${host.url}/#/pages/booking/result/index?id=${journey.stopped!.appointmentId}`)
    await shown('#clinic-stopped').getByText(`停诊原因：${STOP_REASON}`).waitFor({ timeout: 30_000 })
    const notice = shown('#clinic-notice-0')
    await notice.getByText('医院通知：停诊').waitFor()
    expect(await notice.locator('.clinic-notice-text').textContent()).toContain(STOP_REASON)
    expect(await shown('#booking-result').getAttribute('data-status')).toBe('cancelled')
    await screenshot(page, 'clinic-day-patient-stopped')
    // The notice's places are one tap from booking: the doctor page opens with the confirm sheet on that place.
    const rebook = shown('#clinic-notice-0 .clinic-notice-alternative .btn')
    await rebook.click()
    await shown('#booking-sheet').waitFor({ timeout: 30_000 })

    // A full load, as from a link: Taro H5 keeps earlier pages of the stack alive behind a hash change.
    await page.goto('about:blank')
    await page.goto(`${host.url}/#/pages/booking/result/index?id=${journey.checkIn!.appointmentId}`)
    await shown('#clinic-queue').getByText('已签到，前面还有 1 人，请留意叫号。').waitFor({ timeout: 30_000 })
    expect(await shown('#booking-result').getAttribute('data-status')).toBe('checked_in')
    // Checked in: no cancel any more, and no second check-in.
    expect(await page.locator('#result-cancel >> visible=true').count()).toBe(0)
    expect(await page.locator('#self-check-in >> visible=true').count()).toBe(0)
    await screenshot(page, 'clinic-day-patient-queue')

    // A visit two days on: 签到 is offered, and the server's sentence says it is not the time yet.
    await page.goto('about:blank')
    await page.goto(`${host.url}/#/pages/booking/result/index?id=${journey.later!.appointmentId}`)
    await shown('#self-check-in-button').click()
    await shown('#self-check-in-refusal').getByText('还没到签到时间', { exact: false }).waitFor({ timeout: 30_000 })
    expect(await shown('#booking-result').getAttribute('data-status')).toBe('booked')
  })

  it('shows 张秀英 her 爽约 record on her card once the timer marks the visit she missed, with why and until when', async () => {
    // Late on the day of the later visit, which she never came to: the booking function's minute tick marks it.
    await setClock(host.url, dayjs.tz(`${laterDay} 23:30`, ZONE).toDate())
    await runHostTimers(host.url, 'booking')
    type Record = { noShows: { appointmentId: string }[]; restriction: { message: string } | null }
    let record: Record | undefined
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      record = (await call<{ record: Record }>('demo-patient', 'patient', { action: 'noShowRecord', patientId: journey.grandmotherId })).record
      if (record.noShows.length) break
      // The tick was started at once; should it still be running, ask again in a moment (well inside the read's rate limit).
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    expect(record!.noShows.map((entry) => entry.appointmentId)).toEqual([journey.later!.appointmentId])
    expect(record!.restriction?.message).toMatch(/^您在今年已有 1 次预约未就诊，\d+ 月 \d+ 日前暂不能在线预约；如有特殊情况，请到门诊服务台说明。$/)

    await page.goto('about:blank')
    await page.goto(`${host.url}/#/pages/patients/detail/index?id=${journey.grandmotherId}`)
    const panel = shown('#no-show-record')
    await panel.waitFor({ timeout: 30_000 })
    expect(await shown('#no-show-restriction').textContent()).toBe(record!.restriction!.message)
    await panel.getByText(`${journey.later!.doctor.name}医生`, { exact: false }).waitFor()
    await panel.getByText('未按时就诊').waitFor()
    await screenshot(page, 'clinic-day-patient-no-show-record')
  })
})
