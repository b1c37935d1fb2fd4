// Decides between the standard and the elder (适老化) theme; pure so it can be table-tested.

export type ThemeMode = 'standard' | 'elder'

export interface ElderModeInputs {
  /** The server's stored choice once login answered: null = never chose; undefined = not known yet. */
  serverChoice: boolean | null | undefined
  /** The choice cached on this device, used until the server answers (avoids a flash of small text). */
  cachedChoice: boolean | null
  /** The system font size in CSS px, when the platform tells us. */
  systemFontPx: number | undefined
  /** The platform's default for that figure: 17 in WeChat, 16 in browsers. */
  defaultFontPx: number
}

/** WeChat's standard font setting; its larger settings report 18 and up. */
export const WEAPP_DEFAULT_FONT_PX = 17
/** The default `medium` font size of every major browser. */
export const BROWSER_DEFAULT_FONT_PX = 16

export interface ThemeDecision {
  mode: ThemeMode
  /** True while the user never chose, so the mode follows the system font setting. */
  followsSystem: boolean
}

export function decideThemeMode(inputs: ElderModeInputs): ThemeDecision {
  const explicit = inputs.serverChoice !== undefined ? inputs.serverChoice : inputs.cachedChoice
  if (explicit !== null) return { mode: explicit ? 'elder' : 'standard', followsSystem: false }
  const { systemFontPx, defaultFontPx } = inputs
  const systemAsksForLargeText = typeof systemFontPx === 'number' && systemFontPx > defaultFontPx
  return { mode: systemAsksForLargeText ? 'elder' : 'standard', followsSystem: true }
}
