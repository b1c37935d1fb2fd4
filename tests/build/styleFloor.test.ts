// Styles that hold on the oldest phones WeChat supports (README, "Which phones"): no flex/grid `gap`
// (items touch on iOS below 14.5), no `*` selector (WXSS refuses it and Taro drops such rules from
// the weapp build), bottom sheets clear of the home indicator, and a dist/ the WXSS compiler accepts.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import postcss from 'postcss'
import { compile } from 'sass'
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiler package ships CommonJS without types
const wxssToJs = require('miniprogram-compiler/src/wcsc') as (root: string, files: string[]) => Record<string, string> | Error

const ROOT = path.resolve(__dirname, '../..')
const SRC = path.join(ROOT, 'src')
const DIST = path.join(ROOT, 'dist')

function listFiles(dir: string, ending: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return listFiles(full, ending)
    return entry.name.endsWith(ending) ? [full] : []
  })
}

const stylesheets = listFiles(SRC, '.scss').map((file) => ({
  name: path.relative(ROOT, file),
  css: postcss.parse(compile(file).css),
}))

describe('src/**/*.scss as the oldest phones see it', () => {
  it('compiles every stylesheet in src/', () => {
    expect(stylesheets.length).toBeGreaterThan(20)
  })

  it('never uses gap (flex or grid): margins space the items (src/theme/spacing.scss)', () => {
    const found: string[] = []
    for (const { name, css } of stylesheets) {
      css.walkDecls(/^(grid-)?(row-|column-)?gap$/, (decl) => {
        const rule = decl.parent?.type === 'rule' ? (decl.parent as postcss.Rule).selector : '?'
        found.push(`${name}: ${rule} { ${decl.prop}: ${decl.value} }`)
      })
    }
    expect(found).toEqual([])
  })

  it('never uses the * selector, which WXSS refuses and Taro silently drops', () => {
    const found: string[] = []
    for (const { name, css } of stylesheets) {
      css.walkRules((rule) => {
        if (/(^|[\s>+~,(])\*/.test(rule.selector.replace(/\[[^\]]*\]/g, ''))) found.push(`${name}: ${rule.selector}`)
      })
    }
    expect(found).toEqual([])
  })

  it('keeps every sheet fixed to the bottom edge clear of the home indicator', () => {
    const fixedToBottom = stylesheets.filter(({ css }) => {
      let fixed = false
      css.walkRules((rule) => {
        const value = (prop: string) => rule.nodes.find((n): n is postcss.Declaration => n.type === 'decl' && n.prop === prop)?.value
        if (value('position') === 'fixed' && /^0(px)?$/.test(value('bottom') ?? '')) fixed = true
      })
      return fixed
    })
    expect(fixedToBottom.map(({ name }) => name)).toContain(path.join('src', 'components', 'BookingSheet', 'index.scss'))
    for (const { name, css } of fixedToBottom) {
      let clear = false
      css.walkDecls('padding-bottom', (decl) => {
        if (/calc\(.+\+ env\(safe-area-inset-bottom\)\)/.test(decl.value)) clear = true
      })
      if (!clear) throw new Error(`${name} fixes something to the bottom edge without padding-bottom: calc(... + env(safe-area-inset-bottom))`)
    }
  })

  it('spaces every kind of component the app renders (the list in spacing.scss)', () => {
    const spacing = readFileSync(path.join(SRC, 'theme', 'spacing.scss'), 'utf8')
    const covered = /\$flex-items:([^;]+);/.exec(spacing)?.[1].split(',').map((tag) => tag.trim()) ?? []
    const rendered = new Set<string>()
    for (const file of listFiles(SRC, '.tsx')) {
      for (const [, names] of readFileSync(file, 'utf8').matchAll(/import\s*{([^}]+)}\s*from\s*'@tarojs\/components'/g)) {
        for (const name of names.split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type '))) {
          rendered.add(name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase())
        }
      }
    }
    expect(rendered.size).toBeGreaterThan(3)
    expect([...rendered].filter((tag) => !covered.includes(tag))).toEqual([])
  })
})

describe('dist/*.wxss as WeChat gets it', () => {
  beforeAll(() => {
    if (!existsSync(path.join(DIST, 'app.wxss'))) {
      throw new Error('dist/ is missing: run `npm run build:weapp` (npm test does) before this test')
    }
  })

  it('compiles with the WXSS compiler, keeps the item margins and the safe area', () => {
    const files = listFiles(DIST, '.wxss').map((file) => path.relative(DIST, file).slice(0, -'.wxss'.length))
    const compiled = wxssToJs(DIST, files)
    if (compiled instanceof Error) throw compiled
    const all = files.map((file) => readFileSync(path.join(DIST, `${file}.wxss`), 'utf8')).join('\n')
    expect(all).not.toMatch(/[{;]\s*(row-|column-)?gap\s*:/)
    expect(all).toContain('.card > view:not(:first-child)')
    expect(all).toContain('env(safe-area-inset-bottom)')
  })
})
