// Runs the compiled weapp output (dist/) in miniprogram-simulate with the real Taro runtime.
// WeChat's `App`/`Page` constructors do not exist in node: Page configs are registered as
// Components (which simulate can render) and App's lifecycle is driven by hand.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
// Importing simulate replaces global `wx` with its API mocks; the stubs go on top of those.
import * as simulate from 'miniprogram-simulate'
import type { SimulatedComponent } from 'miniprogram-simulate'
import { installWxStubs, type WxStubOptions, type WxStubs } from './wxStubs'

export const ROOT = join(__dirname, '..', '..', '..')
export const DIST = join(ROOT, 'dist')

type AnyFn = (this: unknown, ...args: unknown[]) => unknown
type PageConfig = Record<string, unknown> & { data?: object }

const BUILD_LOCK = join(ROOT, 'tests', '.artifacts', 'weapp-build.lock')
const STALE_LOCK_MS = 5 * 60_000

function lockAgeMs(): number | undefined {
  try {
    return Date.now() - statSync(BUILD_LOCK).mtimeMs
  } catch {
    return undefined
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/**
 * Builds dist/ when it is missing, so the tests also run on a clean clone. Jest runs test files
 * in parallel workers: a lock directory lets one build while the others wait for it.
 * An existing dist/ is trusted as is; run `npm run build:weapp` first when src/ changed.
 */
export function ensureWeappBuild(): void {
  for (;;) {
    const lockAge = lockAgeMs()
    if (lockAge !== undefined) {
      // Another worker is building (dist/ may be half written), or crashed long ago.
      if (lockAge > STALE_LOCK_MS) rmSync(BUILD_LOCK, { recursive: true, force: true })
      else sleepSync(500)
      continue
    }
    if (existsSync(join(DIST, 'app.js'))) return
    mkdirSync(join(BUILD_LOCK, '..'), { recursive: true })
    try {
      mkdirSync(BUILD_LOCK)
    } catch {
      continue // lost the race for the lock
    }
    try {
      const result = spawnSync('npx', ['taro', 'build', '--type', 'weapp'], { cwd: ROOT, stdio: 'inherit' })
      const built = result.status === 0 && existsSync(join(DIST, 'app.js'))
      if (!built) throw new Error('weapp build failed; run `npm run build:weapp` to see why')
    } finally {
      rmSync(BUILD_LOCK, { recursive: true, force: true })
    }
  }
}

export interface WeappApp {
  wx: WxStubs
  /** `query` is what WeChat passes to the page's onLoad (the URL's ?id=...). */
  renderPage(route: string, query?: Record<string, string>): SimulatedComponent
}

export function loadWeappApp(options: WxStubOptions): WeappApp {
  ensureWeappBuild()
  const g = globalThis as unknown as Record<string, unknown>
  // Before app.js runs: Taro captures `wx.cloud` at start-up.
  const wxStubs = installWxStubs(g.wx as Record<string, unknown>, options)

  let app: PageConfig | undefined
  const pages: PageConfig[] = []
  let loadingRoute = ''
  let loadingQuery: Record<string, string> = {}
  g.App = (config: PageConfig) => {
    app = config
  }
  g.getApp = () => app
  g.getCurrentPages = () => pages
  g.Page = (config: PageConfig) => {
    const route = loadingRoute
    const query = loadingQuery
    const methods: Record<string, AnyFn> = {}
    for (const [key, value] of Object.entries(config)) if (typeof value === 'function') methods[key] = value as AnyFn
    ;(g.Component as (definition: object) => void)({
      data: config.data ?? {},
      methods,
      lifetimes: {
        attached(this: PageConfig) {
          this.route = route
          pages.push(this)
          ;(this.onLoad as AnyFn).call(this, query)
          ;(this.onShow as AnyFn).call(this)
        },
        ready(this: PageConfig) {
          ;(this.onReady as AnyFn | undefined)?.call(this)
        },
      },
    })
  }

  // app.js is a WeChat script run for its side effects (it calls App()), not a module to import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(join(DIST, 'app.js'))
  if (!app) throw new Error('dist/app.js did not call App()')
  const launch = { path: 'pages/home/index/index', query: {}, scene: 1001 }
  ;(app.onLaunch as AnyFn).call(app, launch)
  ;(app.onShow as AnyFn | undefined)?.call(app, launch)

  return {
    wx: wxStubs,
    renderPage(route: string, query: Record<string, string> = {}) {
      loadingRoute = route
      loadingQuery = query
      const id = simulate.load(join(DIST, route), { rootPath: DIST, compiler: 'official' })
      const page = simulate.render(id)
      page.attach(document.createElement('parent-wrapper'))
      return page
    },
  }
}

/** setData is asynchronous: poll until `check` passes or the time is up. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
