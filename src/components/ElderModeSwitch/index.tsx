// Elder mode (长辈模式), offered where people look first: an offer on 首页 until they choose (first launch),
// and a switch on 首页 and 我的 (U1). The whole card is the tap target; the pill only shows the state.
import { Button, Text, View } from '@tarojs/components'
import { useTheme } from '../../theme/ThemeContext'
import { useUser } from '../../store/UserContext'
import { showNotice } from '../AppDialog'
import { SettingCard, SwitchPill } from '../SettingCard'

function useChoose(): (elderMode: boolean) => void {
  const { setElderMode } = useTheme()
  return (elderMode) => {
    setElderMode(elderMode).catch((e: Error) => showNotice(`没能保存设置：${e.message}`))
  }
}

export function ElderModeSwitch({ id = 'elder-mode-switch' }: { id?: string }) {
  const { isElder, followsSystem } = useTheme()
  const choose = useChoose()
  return (
    <SettingCard
      id={id}
      role='switch'
      checked={isElder}
      title='长辈模式'
      captions={['大字模式：字更大，按钮更大，颜色更清楚。', followsSystem && isElder && '已按您手机的大字设置自动打开。']}
      onTap={() => choose(!isElder)}
    >
      <SwitchPill on={isElder} />
    </SettingCard>
  )
}

/** Shown until the person chooses once, either way; the choice is kept on the server and on the phone. */
export function ElderModeOffer() {
  const { isElder, followsSystem } = useTheme()
  const { user } = useUser()
  const choose = useChoose()
  if (!user || !followsSystem) return null
  return (
    <View className='card status-box' id='elder-mode-offer'>
      <Text className='title'>{isElder ? '已为您打开长辈模式' : '需要更大的字吗？'}</Text>
      <Text className='notice-text'>
        {isElder ? '字和按钮都已放大。以后可以在首页下方或“我的”里随时改。' : '长辈模式让字更大、按钮更大、颜色更清楚。以后可以在首页下方或“我的”里随时改。'}
      </Text>
      <Button ariaRole='button' className='btn btn-primary' id='elder-offer-on' onClick={() => choose(true)}>
        {isElder ? '好的，就用大字' : '打开长辈模式'}
      </Button>
      <Button ariaRole='button' className='btn btn-secondary' id='elder-offer-off' onClick={() => choose(false)}>
        {isElder ? '不用，改回标准' : '不用了'}
      </Button>
    </View>
  )
}
