// What the elder-mode journey measures on a screen (PRODUCT.md U1), as one function Playwright runs in the
// page: text sizes, tap targets, contrast, roles and names (axe-core's own computation), sideways scroll.

export interface Measured {
  smallestText: { px: number; text: string }
  largestHeading: { px: number; text: string }
  smallestButtonLabel: { px: number; text: string } | null
  smallestTarget: { w: number; h: number; label: string } | null
  lowestContrast: { ratio: number; text: string }
  /** Tappable elements with no role or no accessible name, described. */
  unnamed: string[]
  /** How many px the widest content reaches past the viewport's right edge (0: no sideways scroll). */
  overflowPx: number
}

/** Runs in the page (`page.evaluate(measureInPage, root)`, axe-core loaded first): measures every visible element under `rootSelector` (or the whole page). */
export function measureInPage(rootSelector: string | null): Measured {
  type Rgba = [number, number, number, number]
  const parse = (color: string): Rgba => {
    const parts = /rgba?\(([^)]+)\)/.exec(color)?.[1].split(/[ ,/]+/).filter(Boolean).map(Number) ?? [0, 0, 0, 0]
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1]
  }
  const over = (top: Rgba, below: Rgba): Rgba => {
    const a = top[3] + below[3] * (1 - top[3])
    if (a === 0) return [255, 255, 255, 0]
    const mix = (i: number) => (top[i] * top[3] + below[i] * below[3] * (1 - top[3])) / a
    return [mix(0), mix(1), mix(2), a]
  }
  const luminance = ([r, g, b]: Rgba) => {
    const channel = (v: number) => {
      const s = v / 255
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
    }
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
  }
  /** What the text sits on: the stacked background colours of the element and its ancestors, over white. */
  const backgroundOf = (element: Element): Rgba => {
    const layers: Rgba[] = []
    for (let node: Element | null = element; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor)
      if (bg[3] > 0) layers.push(bg)
      if (bg[3] >= 1) break
    }
    return layers.reduceRight<Rgba>((below, top) => over(top, below), [255, 255, 255, 1])
  }
  const contrast = (element: Element): number => {
    const style = getComputedStyle(element)
    const bg = backgroundOf(element)
    const fg = over(parse(style.color), bg)
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a)
    return Math.round(((l1 + 0.05) / (l2 + 0.05)) * 100) / 100
  }
  const visible = (element: Element) => {
    const rect = element.getBoundingClientRect()
    return rect.width > 0 && rect.height > 0 && element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
  }
  const ownText = (element: Element) =>
    Array.from(element.childNodes)
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent ?? '')
      .join('')
      .trim()
  const disabled = (element: Element) => element.closest('[disabled], [aria-disabled="true"]') !== null
  const root = rootSelector ? Array.from(document.querySelectorAll(rootSelector)).find(visible) : document.body
  if (!root) throw new Error(`nothing visible matches ${rootSelector}`)
  const all = [root, ...Array.from(root.querySelectorAll('*'))].filter(visible)

  const texts = all.filter((element) => ownText(element) !== '' && !['SCRIPT', 'STYLE'].includes(element.tagName))
  const px = (element: Element) => Math.round(parseFloat(getComputedStyle(element).fontSize) * 100) / 100
  const label = (element: Element) => (ownText(element) || element.textContent || '').trim().slice(0, 16)
  let smallestText = { px: Infinity, text: '' }
  let largestHeading = { px: 0, text: '' }
  let lowestContrast = { ratio: Infinity, text: '' }
  for (const element of texts) {
    const size = px(element)
    if (size < smallestText.px) smallestText = { px: size, text: label(element) }
    if (size > largestHeading.px) largestHeading = { px: size, text: label(element) }
    if (disabled(element)) continue
    const ratio = contrast(element)
    if (ratio < lowestContrast.ratio) lowestContrast = { ratio, text: label(element) }
  }

  let smallestButtonLabel: Measured['smallestButtonLabel'] = null
  for (const button of all.filter((element) => element.matches('taro-button-core, button'))) {
    const sizes = [button, ...Array.from(button.querySelectorAll('*'))].filter((element) => ownText(element) !== '').map(px)
    if (sizes.length === 0) continue
    const size = Math.max(...sizes)
    if (!smallestButtonLabel || size < smallestButtonLabel.px) smallestButtonLabel = { px: size, text: label(button) }
  }

  // Tappable: what a screen reader or a finger can act on, by element, role or a React click handler.
  const roles = 'button, link, tab, switch, checkbox, radio, option, menuitem'.split(', ')
  const reactProps = (element: Element): Record<string, unknown> | undefined => {
    const key = Object.keys(element).find((name) => name.startsWith('__reactProps$'))
    return key ? ((element as unknown as Record<string, Record<string, unknown>>)[key] ?? undefined) : undefined
  }
  const tappable = all.filter((element) => {
    // Taro's input is a wrapper around a real <input>: the <input> is what takes focus and carries the name.
    if (element.matches('taro-button-core, button, a[href], input, textarea, taro-switch-core, .weui-tabbar__item')) return true
    if (roles.includes(element.getAttribute('role') ?? '')) return true
    const props = reactProps(element)
    return typeof props?.onClick === 'function' || typeof props?.onTap === 'function'
  })
  // A tappable inside another (a label inside a card) is the same target.
  const targets = tappable.filter((element) => !tappable.some((other) => other !== element && other.contains(element)))
  let smallestTarget: Measured['smallestTarget'] = null
  for (const element of targets) {
    const rect = element.getBoundingClientRect()
    const [w, h] = [Math.round(rect.width), Math.round(rect.height)]
    if (!smallestTarget || Math.min(w, h) < Math.min(smallestTarget.w, smallestTarget.h)) {
      smallestTarget = { w, h, label: (element.textContent ?? '').trim().slice(0, 16) || (element.getAttribute('aria-label') ?? element.tagName) }
    }
  }
  // Role and accessible name as assistive technology computes them (axe's own computation).
  const axe = (window as unknown as { axe: AxeInPage }).axe
  axe.setup(document)
  const unnamed: string[] = []
  for (const element of targets) {
    const node = axe.utils.getNodeFromTree(element)
    const role = node ? axe.commons.aria.getRole(node) : null
    const name = node ? axe.commons.text.accessibleTextVirtual(node).trim() : ''
    if (!role || !name) unnamed.push(`${element.tagName.toLowerCase()}.${element.className} "${(element.textContent ?? '').trim().slice(0, 20)}" role=${role} name=${name}`)
  }
  axe.teardown()
  // Sideways scroll: the document or a page's own scroller wider than the viewport.
  const scrollers = [document.documentElement, document.body, ...Array.from(document.querySelectorAll('.taro_page'))].filter((element) => element === document.documentElement || visible(element))
  const overflowPx = Math.max(0, ...scrollers.map((element) => element.scrollWidth - window.innerWidth))
  return { smallestText, largestHeading, smallestButtonLabel, smallestTarget, lowestContrast, unnamed, overflowPx }
}
interface AxeInPage {
  setup(node: Node): unknown
  teardown(): void
  utils: { getNodeFromTree(element: Element): unknown }
  commons: { aria: { getRole(node: unknown): string | null }; text: { accessibleTextVirtual(node: unknown): string } }
}
