/**
 * @jest-environment ./tests/src/support/weappEnvironment.ts
 */
// The compiled admin subpackage in miniprogram-simulate on the real admin function: the department tree
// (opening on 临床日, the tree under 排班) and a doctor's weekly clinic times; staff taken off ADMIN_OPENIDS see the staff-only notice.
import { main as userMain } from '../../cloudfunctions/user'
import { admin, ADMIN, seedHospital } from '../support/catalog'
import { callAs, dataOf } from '../support/runtime'
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { APP_USER, startWeappBackend, type WeappBackend } from './support/weappBackend'

type Saved<K extends string> = Record<K, { _id: { toString(): string } }>

describe('weapp admin subpackage in miniprogram-simulate', () => {
  let backend: WeappBackend
  let weapp: WeappApp
  let doctorId: string
  let clinicId: string

  beforeAll(async () => {
    // The person using the app is hospital staff.
    backend = await startWeappBackend({ adminOpenids: [APP_USER] })
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }))
    await seedHospital(backend.runtime, {
      name: '医约示范医院',
      campuses: [{ id: 'main', name: '本部', address: '示范路 100 号', locations: [{ id: 'opd-6a', name: '门诊楼 6 楼 A 区' }] }],
    })
    const group = await admin<Saved<'department'>>({ action: 'saveDepartment', name: '皮肤性病科', locationId: 'opd-6a', sort: 600 })
    const clinic = await admin<Saved<'department'>>({ action: 'saveDepartment', name: '皮肤科', parentId: group.department._id.toString(), locationId: 'opd-6a', common: true, sort: 601 })
    const { doctor } = await admin<Saved<'doctor'>>({ action: 'saveDoctor', departmentId: clinic.department._id.toString(), name: '龚秀英', title: '主任医师', specialty: '银屑病', intro: '', feeClass: '专家', feeFen: 5000 })
    doctorId = doctor._id.toString()
    clinicId = clinic.department._id.toString()
    await admin({ action: 'saveTemplate', doctorId, weekday: 3, period: 'morning', startTime: '08:00', endTime: '12:00', slotMinutes: 20, placesPerSlot: 4, locationId: 'opd-6a' })
    weapp = loadWeappApp({ cloud: backend.cloud })
  }, 120_000)
  afterAll(() => backend.close())

  it('opens on 临床日 and shows the department tree with each doctor, title and fee under 排班', async () => {
    const page = weapp.renderPage('admin/pages/index/index')
    const clinicDay = await waitFor(() => page.querySelector('#admin-clinic-day'))
    expect(clinicDay.dom.textContent).toContain('给窗口患者加号')
    expect(page.dom.textContent).not.toContain('皮肤性病科')
    page.querySelector('#admin-section-schedule')!.dispatchEvent('tap')
    const text = await waitFor(() => {
      const content = page.dom.textContent ?? ''
      return content.includes('龚秀英') && content
    })
    expect(text).toContain('医约示范医院')
    expect(text).toContain('皮肤性病科')
    expect(text).toContain('主任医师 · 专家号 50 元')
    expect(weapp.wx.cloudCalls).toContainEqual({ name: 'admin', data: { action: 'overview' } })
  })

  it('offers 就诊须知 in the department form, saying where patients see them and that a clinic left empty shows its parent\'s', async () => {
    const page = weapp.renderPage('admin/pages/department/index', { id: clinicId })
    const text = await waitFor(() => {
      const content = page.dom.textContent ?? ''
      return content.includes('就诊须知') && content
    })
    expect(text).toContain('患者的就诊凭条和就诊前一天的提醒里会显示')
    expect(text).toContain('留空则显示上级科室的须知。')
    expect(page.querySelector('#department-preparation')).toBeTruthy()
  })

  it("lists a doctor's clinic times by weekday and period", async () => {
    const page = weapp.renderPage('admin/pages/templates/index', { doctorId })
    const session = await waitFor(() => page.querySelector('#template-3-morning'))
    expect(session.dom.textContent).toContain('上午 08:00-12:00')
    expect(session.dom.textContent).toContain('每 20 分钟一个时段，每个时段 4 个号，共 48 个号 · 门诊楼 6 楼 A 区')
    expect(page.dom.textContent).toContain('龚秀英的出诊模板')
  })

  it('tells someone no longer on the staff list that the page is for hospital staff', async () => {
    backend.runtime.config.adminOpenids = [ADMIN]
    const page = weapp.renderPage('admin/pages/generate/index', { doctorId })
    await waitFor(() => (page.dom.textContent ?? '').includes('这里是医院工作人员使用的页面'))
    expect(page.querySelector('#generate-run')).toBeFalsy()
    expect(weapp.wx.cloudCalls.filter((call) => call.name === 'admin').map((call) => call.data.action)).not.toContain('generateSchedules')
    expect(await backend.runtime.db.collection('schedules').countDocuments()).toBe(0)
  })
})
