// The few `wx.*` APIs the compiled Yiyue pages call, with a scriptable `wx.cloud.callFunction`.

export interface CloudCall {
  name: string
  data: Record<string, unknown>
}

/** Answers a cloud call the way WeChat does: `{result}` is whatever the function returned. */
export type CloudHandler = (call: CloudCall) => Promise<unknown>

export interface WxStubOptions {
  cloud: CloudHandler
  /** WeChat's font setting in px; 17 is the standard size. */
  fontSizeSetting?: number
}

export interface WxStubs {
  cloudCalls: CloudCall[]
  cloudInits: unknown[]
  storage: Map<string, unknown>
}

export function installWxStubs(wx: Record<string, unknown>, options: WxStubOptions): WxStubs {
  const stubs: WxStubs = { cloudCalls: [], cloudInits: [], storage: new Map() }
  const systemInfo = {
    brand: 'devtools',
    model: 'iPhone 12',
    pixelRatio: 3,
    screenWidth: 375,
    screenHeight: 812,
    windowWidth: 375,
    windowHeight: 700,
    statusBarHeight: 44,
    language: 'zh_CN',
    version: '8.0.50',
    system: 'iOS 17.0',
    platform: 'devtools',
    SDKVersion: '3.5.0',
    fontSizeSetting: options.fontSizeSetting ?? 17,
  }
  Object.assign(wx, {
    getSystemInfoSync: () => ({ ...systemInfo }),
    getAppBaseInfo: () => ({ SDKVersion: systemInfo.SDKVersion, fontSizeSetting: systemInfo.fontSizeSetting }),
    getStorageSync: (key: string) => (stubs.storage.has(key) ? stubs.storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void stubs.storage.set(key, value),
    removeStorageSync: (key: string) => void stubs.storage.delete(key),
    showToast: () => undefined,
    cloud: {
      init: (config: unknown) => void stubs.cloudInits.push(config),
      callFunction: async (call: CloudCall) => {
        stubs.cloudCalls.push(call)
        return { errMsg: 'cloud.callFunction:ok', result: await options.cloud(call) }
      },
    },
  })
  return stubs
}
