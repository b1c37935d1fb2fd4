// The demo identity the H5 build sends as `x-dev-openid`; only the local host honours it.
import Taro from '@tarojs/taro'

const DEV_OPENID_KEY = 'devOpenid'

export function getDevOpenid(): string | undefined {
  const value: unknown = Taro.getStorageSync(DEV_OPENID_KEY)
  return typeof value === 'string' && value !== '' ? value : undefined
}

export function setDevOpenid(openid: string): void {
  Taro.setStorageSync(DEV_OPENID_KEY, openid)
}
