// The weapp build runs on the oldest phones WeChat still opens mini programs on: every script in
// dist/ parses as ES5 (README, "Which phones"). `npm test` builds dist/ before jest runs.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { checkScript, checkSyntaxFloor, formatViolation } from '../../config/checkSyntaxFloor'

const DIST = path.resolve(__dirname, '../../dist')

describe('the syntax floor of dist/', () => {
  it('every script of the weapp build parses as ES5, vendors included', () => {
    if (!existsSync(path.join(DIST, 'app.js'))) {
      throw new Error('dist/ is missing: run `npm run build:weapp` (npm test does) before this test')
    }
    // zod 4 (shipped as ES2020) is in the main package: the check covers the code that used to break.
    expect(readFileSync(path.join(DIST, 'vendors.js'), 'utf8')).toContain('Too small')
    const { files, violations } = checkSyntaxFloor(DIST)
    expect(files).toBeGreaterThan(10)
    expect(violations.map(formatViolation)).toEqual([])
  })

  const newer: Array<[string, string]> = [
    ['var a = b?.c', 'optional chaining ?. (ES2020)'],
    ['var a = b ?? c', 'nullish coalescing ?? (ES2020)'],
    ['var p = 2 ** 10', 'exponent operator ** (ES2016)'],
    ['function f() {}\nclass E extends Error {}', 'class (ES2015)'],
    ['const n = 236', 'const declaration (ES2015)'],
    ['var f = (x) => x', 'arrow function (ES2015)'],
    ['var s = `a${b}`', 'template literal (ES2015)'],
    ['var o = { [k]: 1 }', 'computed property key [k]: (ES2015)'],
    ['var o = { ...p }', 'spread ... (ES2015)'],
    ['try { f() } catch { g() }', 'catch without a binding (ES2019)'],
    ['async function f() { await g() }', 'async function (ES2017)'],
    ['var r = /(?<y>\\d{4})/', 'regular expression /(?<y>\\d{4})/ (flags or groups newer than ES5)'],
  ]
  it.each(newer)('names the construct, file and line: %s', (source, construct) => {
    const violation = checkScript(`var ok = 1;\n${source}\n`, 'pages/x/index.js')
    expect(violation).toMatchObject({ file: 'pages/x/index.js', construct })
    expect(violation?.line).toBeGreaterThanOrEqual(2)
  })

  it('accepts the ES5 that Babel writes for the same code', () => {
    const es5 = 'var a = b === null || b === void 0 ? void 0 : b.c;\nvar o = {}; o[k] = 1;\nfunction E() { Error.call(this) }'
    expect(checkScript(es5, 'pages/x/index.js')).toBeUndefined()
  })

  it('fails clearly when there is nothing to check', () => {
    expect(() => checkSyntaxFloor(path.join(DIST, 'no-such-dir'))).toThrow(/run `npm run build:weapp` first/)
  })
})
