// Everything every page shares, in dependency order: the theme reads the user's preferences.
import type { PropsWithChildren } from 'react'
import { ThemeProvider } from '../theme/ThemeContext'
import { UserProvider } from './UserContext'

export function AppProviders({ children }: PropsWithChildren) {
  return (
    <UserProvider>
      <ThemeProvider>{children}</ThemeProvider>
    </UserProvider>
  )
}
