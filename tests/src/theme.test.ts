// U1 elder mode: the mode decision, and the tokens as they ship (theme.scss compiled by sass).
import { join } from 'node:path'
import { compile } from 'sass'
import {
  BROWSER_DEFAULT_FONT_PX,
  decideThemeMode,
  WEAPP_DEFAULT_FONT_PX,
  type ElderModeInputs,
} from '../../src/theme/elderMode'

describe('decideThemeMode', () => {
  const base: ElderModeInputs = {
    serverChoice: undefined,
    cachedChoice: null,
    systemFontPx: WEAPP_DEFAULT_FONT_PX,
    defaultFontPx: WEAPP_DEFAULT_FONT_PX,
  }
  const cases: Array<[string, Partial<ElderModeInputs>, 'standard' | 'elder', boolean]> = [
    ['never chose, default WeChat font', {}, 'standard', true],
    ['never chose, WeChat font one step larger (18)', { systemFontPx: 18 }, 'elder', true],
    ['never chose, WeChat font smaller (16)', { systemFontPx: 16 }, 'standard', true],
    ['never chose, font unknown', { systemFontPx: undefined }, 'standard', true],
    ['browser default 16px', { systemFontPx: 16, defaultFontPx: BROWSER_DEFAULT_FONT_PX }, 'standard', true],
    ['browser set to 20px', { systemFontPx: 20, defaultFontPx: BROWSER_DEFAULT_FONT_PX }, 'elder', true],
    ['server says on, small system font', { serverChoice: true }, 'elder', false],
    ['server says off, large system font', { serverChoice: false, systemFontPx: 22 }, 'standard', false],
    ['server says never chose, stale cache says on', { serverChoice: null, cachedChoice: true }, 'standard', true],
    ['server not answered yet, cache says on', { cachedChoice: true }, 'elder', false],
    ['server not answered yet, cache says off, large font', { cachedChoice: false, systemFontPx: 22 }, 'standard', false],
    ['server wins over the cache', { serverChoice: true, cachedChoice: false }, 'elder', false],
  ]
  it.each(cases)('%s', (_name, overrides, mode, followsSystem) => {
    expect(decideThemeMode({ ...base, ...overrides })).toEqual({ mode, followsSystem })
  })
})

type Tokens = Record<string, string>

function compiledTokens(): Record<'standard' | 'elder', Tokens> {
  const { css } = compile(join(__dirname, '..', '..', 'src', 'theme', 'theme.scss'))
  const read = (className: string): Tokens => {
    const block = new RegExp(`\\.${className}\\s*\\{([^}]*)\\}`).exec(css)
    if (!block) throw new Error(`.${className} missing from theme.scss`)
    return Object.fromEntries([...block[1].matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]))
  }
  return { standard: read('theme-standard'), elder: read('theme-elder') }
}

/** Design px (750 wide) -> CSS px on a 375-wide phone, which is what rpx and Taro's rem both give. */
const cssPx = (value: string) => {
  const match = /^(\d+(?:\.\d+)?)px$/.exec(value)
  if (!match) throw new Error(`expected a px token, got "${value}"`)
  return Number(match[1]) / 2
}

function luminance(hex: string): number {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(full.slice(i, i + 2), 16) / 255)
  const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

describe('theme tokens', () => {
  const tokens = compiledTokens()
  const fontTokens = ['--font-caption', '--font-body', '--font-title', '--font-button', '--font-display']

  it('gives both modes the same set of tokens', () => {
    expect(Object.keys(tokens.elder).sort()).toEqual(Object.keys(tokens.standard).sort())
  })

  it('keeps every elder text size at >= 18 CSS px and the largest at >= 30', () => {
    for (const name of fontTokens) expect(cssPx(tokens.elder[name])).toBeGreaterThanOrEqual(18)
    expect(Math.max(...fontTokens.map((name) => cssPx(tokens.elder[name])))).toBeGreaterThanOrEqual(30)
  })

  it('sets elder main headings and button labels at >= 30 CSS px (MIIT 适老化)', () => {
    expect(cssPx(tokens.elder['--font-title'])).toBeGreaterThanOrEqual(30)
    expect(cssPx(tokens.elder['--font-button'])).toBeGreaterThanOrEqual(30)
  })

  it('makes elder touch targets >= 60 CSS px and elder text larger than standard', () => {
    expect(cssPx(tokens.elder['--touch-min'])).toBeGreaterThanOrEqual(60)
    for (const name of fontTokens) expect(cssPx(tokens.elder[name])).toBeGreaterThan(cssPx(tokens.standard[name]))
  })

  const pairs: Array<[string, string]> = [
    ['--color-text', '--color-bg'],
    ['--color-text', '--color-surface'],
    ['--color-text-secondary', '--color-bg'],
    ['--color-text-secondary', '--color-surface'],
    ['--color-on-primary', '--color-primary'],
    ['--color-primary', '--color-surface'],
    ['--color-primary', '--color-primary-soft'],
    ['--color-danger', '--color-surface'],
  ]
  it.each(['standard', 'elder'] as const)('has text contrast >= 4.5:1 in %s mode', (mode) => {
    for (const [fg, bg] of pairs) {
      const ratio = contrast(tokens[mode][fg], tokens[mode][bg])
      expect({ pair: `${fg} on ${bg}`, ok: ratio >= 4.5 }).toEqual({ pair: `${fg} on ${bg}`, ok: true })
    }
  })

  it('gives elder mode darker text and stronger borders than standard', () => {
    expect(luminance(tokens.elder['--color-text'])).toBeLessThan(luminance(tokens.standard['--color-text']))
    expect(contrast(tokens.elder['--color-border'], tokens.elder['--color-surface'])).toBeGreaterThan(
      contrast(tokens.standard['--color-border'], tokens.standard['--color-surface']),
    )
    expect(cssPx(tokens.elder['--border-width'])).toBeGreaterThan(cssPx(tokens.standard['--border-width']))
  })
})
