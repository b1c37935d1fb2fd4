// The `message` function (N1-N2): the subscription prompt at the natural taps (weapp only), the in-app
// message center (every platform; the only channel on H5) and 消息设置.
import Taro from '@tarojs/taro'
import { callFunction } from './api'

export type ConsentResult = 'accept' | 'reject' | 'ban' | 'filter'
export type PromptTap = 'booking' | 'payment'
export type WechatState = 'pending' | 'sending' | 'sent' | 'no_consent' | 'off' | 'obsolete' | 'refused' | 'failed' | 'unconfigured'

export interface Message {
  id: string
  event: string
  title: string
  text: string
  at: string
  appointmentId: string | null
  page: string
  wechat: WechatState
  noticeSent: boolean
  read: boolean
}

export interface SubscriptionPrompt {
  tap: PromptTap
  kind: 'once' | 'long'
  templateIds: string[]
}

export interface MessageSettings {
  reminders: boolean
  prompts: SubscriptionPrompt[]
  templates: { event: string; templateId: string; kind: 'once' | 'long'; subscribed: boolean; quota: number }[]
}

export const listMessages = (before?: string) => callFunction<{ messages: Message[]; unread: number }>('message', 'list', before ? { before } : {})
export const markRead = (ids: string[]) => callFunction<{ marked: number; unread: number }>('message', 'markRead', { ids })
export const markAllRead = () => callFunction<{ marked: number; unread: number }>('message', 'markRead', { all: true })
export const fetchMessageSettings = () => callFunction<MessageSettings>('message', 'settings', {})
export const setReminders = (reminders: boolean) => callFunction<MessageSettings>('message', 'settings', { reminders })
export const reportConsent = (results: { templateId: string; result: ConsentResult }[]) => callFunction<MessageSettings>('message', 'consent', { results })

/** The unread count for the badge on 我的; 0 when it cannot be read (a badge never blocks a page). */
export async function unreadCount(): Promise<number> {
  try {
    return (await callFunction<{ messages: Message[]; unread: number }>('message', 'list', { limit: 1 })).unread
  } catch {
    return 0
  }
}

// The prompts change only with the hospital's configuration: read once, so a tap never waits for them.
let knownPrompts: SubscriptionPrompt[] | undefined
let promptsLoading: Promise<void> | undefined

/** Reads the prompts ahead of the tap (a page shows the confirm sheet or the pay button). Never throws. */
export function preloadPrompts(): void {
  if (process.env.TARO_ENV !== 'weapp' || knownPrompts || promptsLoading) return
  promptsLoading = fetchMessageSettings().then(
    (settings) => {
      knownPrompts = settings.prompts
    },
    () => {
      promptsLoading = undefined
    },
  )
}

export function rememberPrompts(prompts: SubscriptionPrompt[]): void {
  knownPrompts = prompts
}

const RESULTS: ConsentResult[] = ['accept', 'reject', 'ban', 'filter']

/** Turns WeChat's answer (`{ [templateId]: 'accept' | ..., errMsg }`) into the results `consent` takes. */
export function consentResults(templateIds: string[], answer: Record<string, unknown>): { templateId: string; result: ConsentResult }[] {
  return templateIds.flatMap((templateId) => {
    const result = answer[templateId]
    return RESULTS.includes(result as ConsentResult) ? [{ templateId, result: result as ConsentResult }] : []
  })
}

/** Through callbacks, as `wx.requestPayment` (payment.ts): not every base library answers with a promise. */
function openPrompt(tmplIds: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const option = { tmplIds, success: (answer: unknown) => resolve(answer as Record<string, unknown>), fail: reject }
    Promise.resolve(Taro.requestSubscribeMessage(option as unknown as Taro.requestSubscribeMessage.Option)).catch(reject)
  })
}

/** What a prompt came to: `reported` settles once the server has the answer (never rejects). */
export interface PromptAnswer {
  reported: Promise<void>
}

const NOTHING_TO_REPORT: PromptAnswer = { reported: Promise.resolve() }

/** Asks WeChat for consent to the templates and reports the answer; resolves once WeChat has answered. Never throws. */
export async function askConsent(templateIds: string[]): Promise<PromptAnswer> {
  const ids = templateIds.slice(0, 3)
  if (process.env.TARO_ENV !== 'weapp' || ids.length === 0) return NOTHING_TO_REPORT
  try {
    const results = consentResults(ids, await openPrompt(ids))
    if (results.length === 0) return NOTHING_TO_REPORT
    return { reported: reportConsent(results).then((settings) => rememberPrompts(settings.prompts), () => undefined) }
  } catch {
    // Refused, closed or not supported: the person still gets every message in the message center.
    return NOTHING_TO_REPORT
  }
}

/**
 * The one-time prompt of a tap. Call it synchronously inside the tap handler (WeChat refuses a prompt
 * that does not come from a tap) and do not await it before the real work: the booking never waits.
 */
export function promptAtTap(tap: PromptTap): Promise<PromptAnswer> {
  const prompt = knownPrompts?.find((entry) => entry.tap === tap && entry.kind === 'once')
  if (!prompt) {
    preloadPrompts()
    return Promise.resolve(NOTHING_TO_REPORT)
  }
  return askConsent(prompt.templateIds)
}
