// Every page's root: applies the theme class (which carries the tokens), the login gate, the app's own
// dialog and notice, and on H5 a back control on every page that is not a tab (browsers show no
// navigation bar of WeChat's, and an elder should not have to find the browser's back).
import { useEffect, type PropsWithChildren } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useTheme } from '../../theme/ThemeContext'
import { useUser } from '../../store/UserContext'
import { APPOINTMENTS_PAGE, HOME_PAGE, ME_PAGE } from '../../routes'
import { DialogHost } from '../AppDialog'
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

const TAB_PAGES = [HOME_PAGE, APPOINTMENTS_PAGE, ME_PAGE]

function goBack(): void {
  // A page opened from a link or a refreshed tab has nothing behind it: 首页 then.
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack()
  else void Taro.switchTab({ url: HOME_PAGE })
}

function BackBar() {
  const path = `/${useRouter().path.split('?')[0].replace(/^\//, '')}`
  if (TAB_PAGES.includes(path)) return null
  return (
    <View className='page-back' id='page-back' ariaRole='button' onClick={goBack}>
      <Text className='page-back-arrow'>‹</Text>
      <Text>返回</Text>
    </View>
  )
}

/** Taro's H5 page is a scrolling box; keyboard users can scroll it only if it can take focus (WCAG 2.1.1). */
function useFocusablePages(): void {
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5') return
    document.querySelectorAll('.taro_page:not([tabindex])').forEach((element) => element.setAttribute('tabindex', '0'))
  }, [])
}

export function PageShell({ auth = 'required', children }: PropsWithChildren<PageShellProps>) {
  const { className } = useTheme()
  const { status } = useUser()
  useFocusablePages()
  const showNotice = auth !== 'none' && status !== 'ready'
  const showContent = auth !== 'required' || status === 'ready'
  return (
    <View className={`page-shell ${className}`}>
      {process.env.TARO_ENV === 'h5' && <BackBar />}
      {showNotice && <LoginNotice />}
      {showContent && children}
      <DialogHost />
    </View>
  )
}
