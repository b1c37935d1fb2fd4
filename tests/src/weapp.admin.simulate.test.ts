/**
 * @jest-environment jsdom
 */
// The compiled admin subpackage in miniprogram-simulate: the department tree and a doctor's weekly
// clinic times come from the admin function; a caller it refuses sees the staff-only notice.
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { userFunction } from './support/userFunctionStub'
import type { CloudCall } from './support/wxStubs'

const overview = {
  hospital: {
    _id: 'default',
    name: '医约示范医院',
    timeZone: 'Asia/Shanghai',
    campuses: [{ id: 'main', name: '本部', address: '示范路 100 号', locations: [{ id: 'opd-6a', name: '门诊楼 6 楼 A 区' }] }],
    releaseRules: { daysAhead: 7, releaseTime: '07:00', sameDayCutoff: null, closeMinutesBefore: 30 },
  },
  departments: [
    { _id: 'd0', parentId: null, name: '皮肤性病科', intro: '', locationId: 'opd-6a', common: false, sort: 600 },
    { _id: 'd1', parentId: 'd0', name: '皮肤科', intro: '', locationId: 'opd-6a', common: true, sort: 601 },
  ],
  doctors: [
    { _id: 'doc1', departmentId: 'd1', name: '龚秀英', title: '主任医师', specialty: '银屑病', intro: '', feeClass: '专家', feeFen: 5000, active: true },
  ],
}
const templates = [
  { _id: 't1', doctorId: 'doc1', weekday: 3, period: 'morning', startTime: '08:00', endTime: '12:00', slotMinutes: 20, placesPerSlot: 4, locationId: 'opd-6a' },
]

let staff = true
function backend(call: CloudCall) {
  if (call.name !== 'admin') return userFunction(call)
  if (!staff) return { ok: false, code: 'FORBIDDEN', message: '这里是医院工作人员使用的管理功能，您的账号暂时没有权限。', requestId: 'req-403' }
  if (call.data.action === 'overview') return { ok: true, data: overview }
  if (call.data.action === 'templates' && call.data.doctorId === 'doc1') return { ok: true, data: { templates } }
  return { ok: false, code: 'UNKNOWN_ACTION', message: '暂不支持这个操作', requestId: 'req-400' }
}

describe('weapp admin subpackage in miniprogram-simulate', () => {
  let weapp: WeappApp

  beforeAll(() => {
    weapp = loadWeappApp({ cloud: backend })
  }, 120_000)

  it('shows the department tree with each doctor, title and fee', async () => {
    const page = weapp.renderPage('admin/pages/index/index')
    const text = await waitFor(() => {
      const content = page.dom.textContent ?? ''
      return content.includes('龚秀英') && content
    })
    expect(text).toContain('医约示范医院')
    expect(text).toContain('皮肤性病科')
    expect(text).toContain('主任医师 · 专家号 50 元')
    expect(weapp.wx.cloudCalls).toContainEqual({ name: 'admin', data: { action: 'overview' } })
  })

  it("lists a doctor's clinic times by weekday and period", async () => {
    const page = weapp.renderPage('admin/pages/templates/index', { doctorId: 'doc1' })
    const session = await waitFor(() => page.querySelector('#template-3-morning'))
    expect(session.dom.textContent).toContain('上午 08:00-12:00')
    expect(session.dom.textContent).toContain('每 20 分钟一个时段，每个时段 4 个号，共 48 个号 · 门诊楼 6 楼 A 区')
    expect(page.dom.textContent).toContain('龚秀英的出诊模板')
  })

  it('tells someone without the admin role that the page is for hospital staff', async () => {
    staff = false
    const page = weapp.renderPage('admin/pages/generate/index', { doctorId: 'doc1' })
    await waitFor(() => (page.dom.textContent ?? '').includes('这里是医院工作人员使用的页面'))
    expect(page.querySelector('#generate-run')).toBeFalsy()
    expect(weapp.wx.cloudCalls.filter((call) => call.name === 'admin').map((call) => call.data.action)).not.toContain('generateSchedules')
  })
})
