// App entry: WeChat cloud is initialised at launch; UserProvider logs in as it mounts.
import { createElement, type PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'
import { initBackend } from './services/api'
import { getDevOpenid } from './services/devIdentity'
import { installWechatPrivacy } from './services/wechatPrivacy'
import { DEV_LOGIN_PAGE } from './routes'
import { AppProviders } from './store/AppProviders'
import './app.scss'

// H5 without a demo identity boots straight into the dev login, before the router picks the first
// page: redirecting after the first page mounted raced with that mount and could leave it on top.
if (process.env.TARO_ENV === 'h5' && !getDevOpenid() && !window.location.hash.startsWith(`#${DEV_LOGIN_PAGE}`)) {
  window.location.replace(`#${DEV_LOGIN_PAGE}`)
}

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    initBackend()
    installWechatPrivacy()
  })
  // createElement rather than JSX keeps this entry a plain .ts file, as Taro's templates name it.
  return createElement(AppProviders, null, children)
}

export default App
