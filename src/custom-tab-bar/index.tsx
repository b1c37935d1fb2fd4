// Weapp's tab bar, drawn by the app (tabBar.custom) so its labels and height follow elder mode: WeChat's
// native bar keeps 10 px labels whatever the theme (U1). WeChat makes one instance per tab page, outside
// the app's React providers, so it reads the mode as the theme decides it at launch and hears changes.
import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { decideThemeMode } from '../theme/elderMode'
import { ELDER_MODE_EVENT } from '../theme/ThemeContext'
import { readCachedElderMode } from '../theme/preferenceCache'
import { readSystemFont } from '../theme/systemFont'
import './index.scss'

const TABS = [
  { path: 'pages/home/index/index', text: '首页', icon: 'home' },
  { path: 'pages/appointments/index/index', text: '预约记录', icon: 'appointments' },
  { path: 'pages/me/index/index', text: '我的', icon: 'me' },
]

function elderAtLaunch(): boolean {
  const font = readSystemFont()
  return decideThemeMode({ serverChoice: undefined, cachedChoice: readCachedElderMode(), systemFontPx: font.px, defaultFontPx: font.defaultPx }).mode === 'elder'
}

export default function CustomTabBar() {
  const [elder, setElder] = useState(elderAtLaunch)
  // Each tab page has its own bar: the page on top when it is made is the one it marks.
  const [route] = useState(() => Taro.getCurrentPages().at(-1)?.route ?? TABS[0].path)
  useEffect(() => {
    const listener = (next: boolean) => setElder(next)
    Taro.eventCenter.on(ELDER_MODE_EVENT, listener)
    return () => {
      Taro.eventCenter.off(ELDER_MODE_EVENT, listener)
    }
  }, [])
  return (
    <View className={`tab-bar ${elder ? 'tab-bar-elder' : 'tab-bar-standard'}`} ariaRole='tablist'>
      {TABS.map((tab) => {
        const selected = route === tab.path
        return (
          <View
            key={tab.path}
            className={`tab-bar-item${selected ? ' tab-bar-item-selected' : ''}`}
            ariaRole='tab'
            aria-selected={selected ? 'true' : 'false'}
            onClick={() => void Taro.switchTab({ url: `/${tab.path}` })}
          >
            <Image className='tab-bar-icon' src={`/assets/tabbar/${tab.icon}${selected ? '-active' : ''}.png`} />
            <Text className='tab-bar-label'>{tab.text}</Text>
          </View>
        )
      })}
    </View>
  )
}
