/**
 * @jest-environment ./tests/src/support/weappEnvironment.ts
 */
// WeChat's privacy authorization on the compiled weapp: the app registers for `wx.onNeedPrivacyAuthorization` at
// launch; when WeChat calls it (as before getPhoneNumber), the app's own dialog appears on the page in view, and
// its agree button (WeChat's agreePrivacyAuthorization button) answers `resolve({ buttonId, event: 'agree' })`;
// 不同意 answers `resolve({ event: 'disagree' })`.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SimulatedComponent } from 'miniprogram-simulate'
import { DIST, loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { startWeappBackend, type WeappBackend } from './support/weappBackend'

describe('weapp privacy authorization', () => {
  let backend: WeappBackend
  let weapp: WeappApp
  let page: SimulatedComponent
  beforeAll(async () => {
    backend = await startWeappBackend()
    weapp = loadWeappApp({ cloud: backend.cloud })
    // The page in view when WeChat asks; the dialog shows on it.
    page = weapp.renderPage('pages/me/index/index')
    await waitFor(() => (page.dom.textContent ?? '').includes('隐私说明'))
  }, 120_000)
  afterAll(() => backend.close())

  it('declares the privacy check in app.json and listens once at launch', async () => {
    expect(JSON.parse(readFileSync(join(DIST, 'app.json'), 'utf8'))).toMatchObject({ __usePrivacyCheck__: true })
    await waitFor(() => weapp.wx.privacyListeners.length > 0)
    expect(weapp.wx.privacyListeners).toHaveLength(1)
  })

  it.each([
    ['同意', 'agreeprivacyauthorization', [{ event: 'exposureAuthorization' }, { event: 'agree', buttonId: 'privacy-authorize-agree' }]],
    ['不同意', 'tap', [{ event: 'exposureAuthorization' }, { event: 'disagree' }]],
  ])('shows the app’s dialog and answers WeChat after %s', async (_label, eventName, answers) => {
    const resolved: unknown[] = []
    weapp.wx.privacyListeners[0]((option) => resolved.push(option), { referrer: 'getPhoneNumber' })
    const agree = await waitFor(() => page.querySelector('#privacy-authorize-agree'))
    expect(page.dom.textContent).toContain('使用前，请您同意隐私保护指引')
    // Nothing is decided until the person taps.
    expect(resolved).toEqual([{ event: 'exposureAuthorization' }])
    if (eventName === 'tap') (await waitFor(() => page.querySelector('#privacy-authorize-disagree'))).dispatchEvent('tap')
    else agree.dispatchEvent(eventName)
    await waitFor(() => resolved.length === 2)
    expect(resolved).toEqual(answers)
    await waitFor(() => !page.querySelector('#privacy-authorize-agree'))
  }, 60_000)
})
