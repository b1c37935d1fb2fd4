/**
 * @jest-environment ./tests/src/support/weappEnvironment.ts
 */
// U1 on weapp: the custom tab bar (src/custom-tab-bar) as WeChat makes it for a tab page, rendered by the
// real Taro runtime from dist/. Elder mode gives it the large class, and its compiled style makes that
// 20 px labels on 70 px tall tabs (rpx: 750 to a 375 px wide phone); the standard bar stays as it was.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as simulate from 'miniprogram-simulate'
import { DIST, loadWeappApp, waitFor } from './support/loadWeapp'
import { startWeappBackend, type WeappBackend } from './support/weappBackend'

// Taro's createComponentConfig gives a component `behaviors: {}` and `externalClasses: {}` when it has none;
// WeChat accepts that, j-component calls `.map` on them. Hand the simulator empty lists instead.
type Definition = Record<string, unknown>
const g = globalThis as unknown as { Component: (definition: Definition) => void }
const simulatedComponent = g.Component
g.Component = (definition) => {
  const asList = (value: unknown) => (Array.isArray(value) ? value : [])
  simulatedComponent({ ...definition, behaviors: asList(definition.behaviors), externalClasses: asList(definition.externalClasses) })
}

function renderTabBar() {
  const id = simulate.load(join(DIST, 'custom-tab-bar/index'), { rootPath: DIST, compiler: 'official' })
  const bar = simulate.render(id)
  bar.attach(document.createElement('parent-wrapper'))
  return bar
}

// The app's launch logs in through the real user function.
let backend: WeappBackend
beforeAll(async () => {
  backend = await startWeappBackend()
}, 120_000)
afterAll(() => backend.close())

const cssPx = (rpx: string) => Number(/^(\d+)rpx$/.exec(rpx)?.[1] ?? NaN) / 2

it('draws the elder tab bar, labels >= 18 px and tabs >= 60 px tall, when the phone asks for large text', async () => {
  loadWeappApp({ cloud: (call) => backend.cloud(call), fontSizeSetting: 20 })
  const bar = renderTabBar()
  await waitFor(() => bar.dom.innerHTML.includes('tab-bar-elder'))
  for (const label of ['首页', '预约记录', '我的']) expect(bar.dom.textContent).toContain(label)
  expect(bar.dom.innerHTML).toContain('tab-bar-item-selected')

  const wxss = readFileSync(join(DIST, 'custom-tab-bar/index.wxss'), 'utf8').replace(/\s+/g, '')
  const rule = (selector: string, property: string) => new RegExp(`${selector.replace(/\./g, '\\.')}\\{[^}]*${property}:(\\d+rpx)`).exec(wxss)?.[1] ?? ''
  expect(cssPx(rule('.tab-bar-elder.tab-bar-label', 'font-size'))).toBeGreaterThanOrEqual(18)
  expect(cssPx(rule('.tab-bar-elder.tab-bar-item', 'min-height'))).toBeGreaterThanOrEqual(60)
}, 120_000)
