// Every page's root: applies the theme class (which carries the tokens) and the login gate.
import type { PropsWithChildren } from 'react'
import { View } from '@tarojs/components'
import { useTheme } from '../../theme/ThemeContext'
import { useUser } from '../../store/UserContext'
import { LoginNotice } from '../LoginNotice'
import './index.scss'

/**
 * `required`: content only once logged in; `optional`: content plus a login notice;
 * `none`: no notice at all (the dev login page is itself the way in).
 */
export type PageAuth = 'required' | 'optional' | 'none'

interface PageShellProps {
  auth?: PageAuth
}

export function PageShell({ auth = 'required', children }: PropsWithChildren<PageShellProps>) {
  const { className } = useTheme()
  const { status } = useUser()
  const showNotice = auth !== 'none' && status !== 'ready'
  const showContent = auth !== 'required' || status === 'ready'
  return (
    <View className={`page-shell ${className}`}>
      {showNotice && <LoginNotice />}
      {showContent && children}
    </View>
  )
}
