// Reads the platform's font-size setting, the signal elder mode follows until the user chooses.
import Taro from '@tarojs/taro'
import { BROWSER_DEFAULT_FONT_PX, WEAPP_DEFAULT_FONT_PX } from './elderMode'

export interface SystemFont {
  px: number | undefined
  defaultPx: number
}

export function readSystemFont(): SystemFont {
  if (process.env.TARO_ENV === 'h5') return { px: readBrowserDefaultFontPx(), defaultPx: BROWSER_DEFAULT_FONT_PX }
  return { px: readWeappFontSetting(), defaultPx: WEAPP_DEFAULT_FONT_PX }
}

/** @see https://developers.weixin.qq.com/miniprogram/dev/api/base/system/wx.getAppBaseInfo.html */
function readWeappFontSetting(): number | undefined {
  try {
    // getSystemInfoSync is deprecated in newer base libraries; getAppBaseInfo (>= 2.20.1) reports
    // the same figure, though Taro's typings omit it.
    const base = Taro.getAppBaseInfo?.() as { fontSizeSetting?: number } | undefined
    return base?.fontSizeSetting ?? Taro.getSystemInfoSync().fontSizeSetting
  } catch {
    return undefined
  }
}

/**
 * The browser's default font size, i.e. what `font-size: medium` resolves to. Taro pins the root
 * element's font size for rem scaling, so we measure a probe set to the absolute keyword
 * `medium` instead of <html>; it follows the user's font-size preference, not zoom or devicePixelRatio.
 */
function readBrowserDefaultFontPx(): number | undefined {
  if (typeof document === 'undefined' || !document.body) return undefined
  const probe = document.createElement('div')
  probe.style.cssText = 'position:absolute;visibility:hidden;font-size:medium'
  document.body.appendChild(probe)
  const px = parseFloat(getComputedStyle(probe).fontSize)
  probe.remove()
  return Number.isFinite(px) ? px : undefined
}
