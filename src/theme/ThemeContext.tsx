// Standard or elder theme for every page, from the user's choice or the system font setting.
import { createContext, useContext, useEffect, useMemo, useState, type PropsWithChildren } from 'react'
import Taro from '@tarojs/taro'
import { useUser } from '../store/UserContext'
import { decideThemeMode, type ThemeMode } from './elderMode'
import { readCachedElderMode, writeCachedElderMode } from './preferenceCache'
import { readSystemFont } from './systemFont'

export interface ThemeValue {
  mode: ThemeMode
  isElder: boolean
  /** The root class that carries the tokens (see theme.scss). */
  className: string
  /** True while the user never chose, so the mode follows the system font setting. */
  followsSystem: boolean
  setElderMode: (elderMode: boolean) => Promise<void>
}

/** Tells weapp's custom tab bar (src/custom-tab-bar) the mode whenever it changes. */
export const ELDER_MODE_EVENT = 'theme:elderMode'

const ThemeContext = createContext<ThemeValue | null>(null)

export function ThemeProvider({ children }: PropsWithChildren) {
  const { user, setElderMode } = useUser()
  // Read once: the cache only bridges launch until the server answers, and then the server wins.
  const [cachedChoice] = useState(readCachedElderMode)
  const [systemFont] = useState(readSystemFont)
  const serverChoice = user?.preferences.elderMode

  useEffect(() => {
    if (serverChoice !== undefined) writeCachedElderMode(serverChoice)
  }, [serverChoice])

  const elder = decideThemeMode({ serverChoice, cachedChoice, systemFontPx: systemFont.px, defaultFontPx: systemFont.defaultPx }).mode === 'elder'
  useEffect(() => {
    // The tab bar lives outside every page: H5's through a class on <html> (app.scss, .theme-elder-root),
    // weapp's custom-tab-bar through an event.
    if (process.env.TARO_ENV === 'h5') document.documentElement.classList.toggle('theme-elder-root', elder)
    else Taro.eventCenter.trigger(ELDER_MODE_EVENT, elder)
  }, [elder])

  const value = useMemo<ThemeValue>(() => {
    const { mode, followsSystem } = decideThemeMode({
      serverChoice,
      cachedChoice,
      systemFontPx: systemFont.px,
      defaultFontPx: systemFont.defaultPx,
    })
    return {
      mode,
      isElder: mode === 'elder',
      className: `theme-${mode}`,
      followsSystem,
      setElderMode,
    }
  }, [serverChoice, cachedChoice, systemFont, setElderMode])

  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>
}

export function useTheme(): ThemeValue {
  const value = useContext(ThemeContext)
  if (!value) throw new Error('useTheme must be used inside <ThemeProvider>')
  return value
}
