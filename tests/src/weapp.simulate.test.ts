/**
 * @jest-environment ./tests/src/support/weappEnvironment.ts
 */
// The compiled weapp home page, rendered by the real Taro runtime inside miniprogram-simulate, on the
// real user and catalog functions.
import { main as userMain } from '../../cloudfunctions/user'
import type { UserDoc } from '../../cloudfunctions/shared/users/userRepository'
import { admin, ADMIN, seedHospital } from '../support/catalog'
import { callAs, dataOf } from '../support/runtime'
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { APP_USER, startWeappBackend, type WeappBackend } from './support/weappBackend'

/** Two first-level departments, each with its clinics; 心血管内科 and 皮肤科 are marked common by staff. */
async function seedDepartments(): Promise<void> {
  const department = async (name: string, sort: number, parentId: string | null = null, common = false) =>
    (await admin<{ department: { _id: { toString(): string } } }>({ action: 'saveDepartment', name, intro: `${name}门诊`, locationId: 'opd-3b', parentId, common, sort })).department._id.toString()
  const internal = await department('内科', 100)
  await department('心血管内科', 110, internal, true)
  await department('呼吸内科', 120, internal)
  const skin = await department('皮肤性病科', 200)
  await department('皮肤科', 210, skin, true)
}

describe('weapp build in miniprogram-simulate', () => {
  let backend: WeappBackend
  let weapp: WeappApp

  beforeAll(async () => {
    backend = await startWeappBackend()
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }))
    await seedHospital(backend.runtime)
    await seedDepartments()
    weapp = loadWeappApp({ cloud: backend.cloud })
  }, 120_000)
  afterAll(() => backend.close())

  /** The hospital user the app's login created for this WeChat user. */
  async function appUser(): Promise<UserDoc> {
    const identity = await backend.runtime.db.collection<{ _id: string; openid: string; userId: UserDoc['_id'] }>('identities').findOne({ openid: APP_USER })
    return (await backend.runtime.db.collection<UserDoc>('users').findOne({ _id: identity!.userId }))!
  }

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
    expect(await appUser()).toMatchObject({ preferences: { elderMode: null } })
  })

  it('shows the empty appointments list once logged in', async () => {
    const page = weapp.renderPage('pages/appointments/index/index')
    await waitFor(() => (page.dom.textContent ?? '').includes('您还没有预约记录'))
  })

  it('turns elder mode on from 我的, saves it on the server and caches it', async () => {
    const id = (await appUser())._id.toHexString()
    const page = weapp.renderPage('pages/me/index/index')
    await waitFor(() => (page.dom.textContent ?? '').includes(`用户编号：${id.slice(0, 4)}…${id.slice(-4)}`))
    expect(page.dom.textContent).not.toContain('切换身份') // H5-only link

    const toggle = await waitFor(() => page.querySelector('#elder-mode-switch'))
    toggle.dispatchEvent('tap')

    await waitFor(() => page.dom.innerHTML.includes('theme-elder'))
    expect(weapp.wx.cloudCalls.at(-1)).toEqual({ name: 'user', data: { action: 'setPreferences', elderMode: true } })
    expect(weapp.wx.storage.get('elderMode')).toBe(true)
    // The theme turns at the tap; the server's copy follows once the call has answered.
    await waitFor(async () => (await appUser()).preferences.elderMode === true)
  })
})
