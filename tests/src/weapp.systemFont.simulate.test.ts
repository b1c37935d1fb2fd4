/**
 * @jest-environment jsdom
 */
// U1: a user who never chose gets elder mode when WeChat's font setting is larger than standard.
import { loadWeappApp, waitFor } from './support/loadWeapp'
import { userFunction } from './support/userFunctionStub'

it('follows a large WeChat font setting until the user chooses', async () => {
  const weapp = loadWeappApp({ cloud: userFunction, fontSizeSetting: 20 })
  const page = weapp.renderPage('pages/me/index/index')
  await waitFor(() => (page.dom.textContent ?? '').includes('已按您手机的大字设置自动打开'))
  expect(page.dom.innerHTML).toContain('theme-elder')
  // Never chose: nothing is saved on the server, and the cache keeps "no choice".
  expect(weapp.wx.cloudCalls.map((call) => call.data.action)).toEqual(['login'])
  expect(weapp.wx.storage.has('elderMode')).toBe(false)
}, 120_000)
