/**
 * @jest-environment ./tests/src/support/weappEnvironment.ts
 */
// U1: a user who never chose gets elder mode when WeChat's font setting is larger than standard.
import type { UserDoc } from '../../cloudfunctions/shared/users/userRepository'
import { loadWeappApp, waitFor } from './support/loadWeapp'
import { startWeappBackend, type WeappBackend } from './support/weappBackend'

let backend: WeappBackend
beforeAll(async () => {
  backend = await startWeappBackend()
})
afterAll(() => backend.close())

it('follows a large WeChat font setting until the user chooses', async () => {
  const weapp = loadWeappApp({ cloud: backend.cloud, fontSizeSetting: 20 })
  const page = weapp.renderPage('pages/me/index/index')
  await waitFor(() => (page.dom.textContent ?? '').includes('已按您手机的大字设置自动打开'))
  expect(page.dom.innerHTML).toContain('theme-elder')
  // Never chose: nothing is saved on the server, and the cache keeps "no choice".
  // (我的 reads the message center's unread count; nothing is written.)
  const actions = weapp.wx.cloudCalls.map((call) => call.data.action)
  expect(actions[0]).toBe('login')
  expect(actions.filter((action) => action !== 'login' && action !== 'list')).toEqual([])
  expect(weapp.wx.storage.has('elderMode')).toBe(false)
  const users = await backend.runtime.db.collection<UserDoc>('users').find().toArray()
  expect(users.map((user) => user.preferences.elderMode)).toEqual([null])
}, 120_000)
