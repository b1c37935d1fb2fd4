// App entry: WeChat cloud is initialised at launch; UserProvider logs in as it mounts.
import { createElement, type PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'
import { initBackend } from './services/api'
import { AppProviders } from './store/AppProviders'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => initBackend())
  // createElement rather than JSX keeps this entry a plain .ts file, as Taro's templates name it.
  return createElement(AppProviders, null, children)
}

export default App
