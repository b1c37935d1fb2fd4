// The mini program's cloud, for the simulate tests: `wx.cloud.callFunction({name, data})` runs the real
// function's `main` on a test runtime on the embedded store, as one WeChat user, so a change in any
// function's answer shows up on the pages these tests read.
import { HOSTED_FUNCTIONS } from '../../../cloudfunctions/local/functions'
import type { WeChatPayStandIn } from '../../../cloudfunctions/local/wechatPayStandIn'
import { ADMIN } from '../../support/catalog'
import { startTestHis, type TestHis } from '../../support/his'
import { startTestHost, type TestHost } from '../../support/host'
import { callAs, type TestRuntime } from '../../support/runtime'
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay'
import type { CloudCall } from './wxStubs'

/** The openid WeChat passes to every function for the person using the simulated app. */
export const APP_USER = 'weapp-user'

export interface WeappBackend {
  runtime: TestRuntime
  his: TestHis
  /** Present when started with `{ pay: true }`: the cashier's counterpart, where a payer pays. */
  pay?: TestWeChatPay & { standIn: WeChatPayStandIn }
  /** Answers one cloud call the way WeChat does: `result` is what the function returned, as JSON. */
  cloud(call: CloudCall): Promise<unknown>
  close(): Promise<void>
}

/**
 * A local host (so WeChat Pay's notifications reach the payment function over HTTP) on a fresh test
 * runtime, with the HIS stand-in and, when asked, the WeChat Pay stand-in. ADMIN is hospital staff.
 */
export async function startWeappBackend(options: { pay?: boolean; adminOpenids?: string[] } = {}): Promise<WeappBackend> {
  const his = await startTestHis()
  const pay = options.pay ? await startTestWeChatPay() : undefined
  const host: TestHost = await startTestHost({ adminOpenids: [ADMIN, ...(options.adminOpenids ?? [])], his: his.client, pay: pay?.client, payStandIn: pay?.standIn })
  return {
    runtime: host.runtime,
    his,
    pay,
    async cloud(call) {
      const fn = HOSTED_FUNCTIONS.find((entry) => entry.name === call.name)
      // WeChat fails the call itself (not the function) for a name that is not deployed.
      if (!fn) throw new Error(`cloud.callFunction:fail -501000 FunctionName parameter could not be found: ${call.name}`)
      const result = await callAs(fn.main, APP_USER, call.data)
      return JSON.parse(JSON.stringify(result)) as unknown
    },
    async close() {
      await pay?.standIn.notificationsIdle()
      await host.close()
      await pay?.standIn.close()
      await his.standIn.close()
    },
  }
}
