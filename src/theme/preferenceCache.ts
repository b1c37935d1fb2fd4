// Device cache of the elder-mode choice, so the right text size shows before login answers.
import Taro from '@tarojs/taro'

const ELDER_MODE_KEY = 'elderMode'

export function readCachedElderMode(): boolean | null {
  try {
    const value: unknown = Taro.getStorageSync(ELDER_MODE_KEY)
    return typeof value === 'boolean' ? value : null
  } catch {
    return null
  }
}

export function writeCachedElderMode(choice: boolean | null): void {
  try {
    if (choice === null) Taro.removeStorageSync(ELDER_MODE_KEY)
    else Taro.setStorageSync(ELDER_MODE_KEY, choice)
  } catch (e) {
    // Storage full or unavailable: the server still has the choice, so only the first paint suffers.
    console.warn('[theme] could not cache elder mode', e)
  }
}
