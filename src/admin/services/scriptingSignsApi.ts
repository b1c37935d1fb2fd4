// 疑似抢号脚本 (admin.scriptingSigns): accounts whose requests look like a script's, most suspicious first.
import { callFunction } from '../../services/api'

export type ScriptingSign = 'early' | 'subSecond' | 'throttled' | 'strangerCards'

export interface SuspiciousAccount {
  /** Masked openid. */
  account: string
  userId: string | null
  score: number
  signs: ScriptingSign[]
  early: number
  subSecond: number
  throttled: number
  strangerCards: number
  cards: number
  firstAt: string
  lastAt: string
}

export const fetchScriptingSigns = async (days: number) =>
  (await callFunction<{ accounts: SuspiciousAccount[] }>('admin', 'scriptingSigns', { days, limit: 100 })).accounts
