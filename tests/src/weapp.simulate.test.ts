/**
 * @jest-environment jsdom
 */
// The compiled weapp home page, rendered by the real Taro runtime inside miniprogram-simulate.
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { bookingFunction } from './support/bookingFunctionStub'
import { catalogFunction } from './support/catalogFunctionStub'
import { userFunction } from './support/userFunctionStub'
import type { CloudCall } from './support/wxStubs'

const backend = (call: CloudCall) => {
  if (call.name === 'booking') return bookingFunction(call, [])
  return call.name === 'catalog' ? catalogFunction(call) : userFunction(call)
}

describe('weapp build in miniprogram-simulate', () => {
  let weapp: WeappApp

  beforeAll(() => {
    weapp = loadWeappApp({ cloud: backend })
  }, 120_000)

  it('shows the home page greeting, then the departments once logged in', async () => {
    const page = weapp.renderPage('pages/home/index/index')
    await waitFor(() => (page.dom.textContent ?? '').includes('欢迎来到医约'))
    // The catalog needs a caller, so the departments come after login: 常用科室, then every group.
    const text = await waitFor(() => {
      const content = page.dom.textContent ?? ''
      return content.includes('全部科室') && content
    })
    expect(text).toContain('常用科室')
    expect(text).toMatch(/常用科室心血管内科皮肤科全部科室内科心血管内科呼吸内科皮肤性病科皮肤科/)
    expect(page.querySelector('#department-search')).toBeTruthy()
    // The standard theme class carries the tokens; the system font is the default 17.
    expect(page.dom.innerHTML).toContain('theme-standard')
  })

  it('initialised WeChat cloud once and logged in through the user function', async () => {
    await waitFor(() => weapp.wx.cloudCalls.length > 0)
    expect(weapp.wx.cloudInits).toHaveLength(1)
    expect(weapp.wx.cloudCalls[0]).toEqual({ name: 'user', data: { action: 'login' } })
    expect(weapp.wx.cloudCalls[1]).toEqual({ name: 'catalog', data: { action: 'departments' } })
  })

  it('shows the empty appointments list once logged in', async () => {
    const page = weapp.renderPage('pages/appointments/index/index')
    await waitFor(() => (page.dom.textContent ?? '').includes('您还没有预约记录'))
  })

  it('turns elder mode on from 我的, saves it on the server and caches it', async () => {
    const page = weapp.renderPage('pages/me/index/index')
    await waitFor(() => (page.dom.textContent ?? '').includes('用户编号：u_9f…5f60'))
    expect(page.dom.textContent).not.toContain('切换身份') // H5-only link

    const toggle = await waitFor(() => page.querySelector('#elder-mode-switch'))
    toggle.dispatchEvent('tap')

    await waitFor(() => page.dom.innerHTML.includes('theme-elder'))
    expect(weapp.wx.cloudCalls.at(-1)).toEqual({ name: 'user', data: { action: 'setPreferences', elderMode: true } })
    expect(weapp.wx.storage.get('elderMode')).toBe(true)
  })
})
