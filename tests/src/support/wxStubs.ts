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
  /**
   * What the subscription prompt answers for these template ids: per-id results (`accept`, `reject`,
   * ...) with `errMsg: 'requestSubscribeMessage:ok'`, or any other errMsg to fail the call as WeChat
   * does (e.g. the person closed it, or it did not come from a tap). Without it the prompt fails.
   */
  subscribe?: (tmplIds: string[]) => Record<string, string>
}

/** One `wx.requestSubscribeMessage` call, and how many cloud calls had been made before it. */
export interface SubscribePrompt {
  tmplIds: string[]
  cloudCallsBefore: number
}

export interface WxStubs {
  cloudCalls: CloudCall[]
  cloudInits: unknown[]
  storage: Map<string, unknown>
  subscribePrompts: SubscribePrompt[]
  /** URLs passed to `wx.navigateTo` (the simulated app stays on the page it rendered). */
  navigations: string[]
  /** Listeners the app gave `wx.onNeedPrivacyAuthorization`; a test calls one as WeChat does before a privacy API. */
  privacyListeners: ((resolve: (option: unknown) => void, eventInfo: { referrer: string }) => void)[]
}

interface CallbackOption {
  tmplIds: string[]
  success?: (answer: unknown) => void
  fail?: (answer: unknown) => void
  complete?: (answer: unknown) => void
}

export function installWxStubs(wx: Record<string, unknown>, options: WxStubOptions): WxStubs {
  const stubs: WxStubs = { cloudCalls: [], cloudInits: [], storage: new Map(), subscribePrompts: [], navigations: [], privacyListeners: [] }
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
    onNeedPrivacyAuthorization: (listener: WxStubs['privacyListeners'][number]) => void stubs.privacyListeners.push(listener),
    navigateTo: (option: { url: string; success?: (answer: unknown) => void; complete?: (answer: unknown) => void }) => {
      stubs.navigations.push(option.url)
      const answer = { errMsg: 'navigateTo:ok' }
      setTimeout(() => {
        option.success?.(answer)
        option.complete?.(answer)
      }, 0)
    },
    requestSubscribeMessage: (option: CallbackOption) => {
      stubs.subscribePrompts.push({ tmplIds: [...option.tmplIds], cloudCallsBefore: stubs.cloudCalls.length })
      const answer = options.subscribe?.(option.tmplIds) ?? { errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.', errCode: '20004' }
      // WeChat answers after the person has chosen, never within the call.
      setTimeout(() => {
        if (answer.errMsg === 'requestSubscribeMessage:ok') option.success?.(answer)
        else option.fail?.(answer)
        option.complete?.(answer)
      }, 0)
    },
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
