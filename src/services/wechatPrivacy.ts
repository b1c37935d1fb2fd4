// WeChat's privacy authorization (weapp only): the first time the app uses an API that touches personal data
// (getPhoneNumber for 用微信手机号验证, the clipboard, ...), WeChat asks the app to show its own privacy dialog and
// holds the API until `resolve` is called. Ours is the app's dialog (AppDialog) whose agree button is WeChat's
// `open-type="agreePrivacyAuthorization"` button, so WeChat can check it was really tapped. H5 has no such thing.
// @see https://developers.weixin.qq.com/miniprogram/dev/framework/user-privacy/PrivacyAuthorize.html
// @see https://docs.taro.zone/docs/apis/open-api/privacy/onNeedPrivacyAuthorization/
import Taro from '@tarojs/taro'
import { askToConfirm } from '../components/AppDialog'

/** The id WeChat checks in `resolve({ buttonId, event: 'agree' })`. */
export const PRIVACY_AGREE_BUTTON_ID = 'privacy-authorize-agree'

export type PrivacyResolveOption = { event: 'exposureAuthorization' | 'disagree' } | { event: 'agree'; buttonId: string }
export type PrivacyResolve = (option: PrivacyResolveOption) => void

/** The listener given to `wx.onNeedPrivacyAuthorization`: shows the dialog and answers WeChat with the person's choice. */
export async function handleNeedPrivacyAuthorization(resolve: PrivacyResolve): Promise<void> {
  const agreed = askToConfirm({
    title: '使用前，请您同意隐私保护指引',
    content:
      '医约要用到您的微信手机号（用微信手机号验证时）等信息，只用于实名挂号和联系您。同意后才能继续；不同意也可以改用短信验证码。完整内容在“我的 > 隐私说明”。',
    confirmText: '同意',
    cancelText: '不同意',
    confirmTone: 'primary',
    privacyAgreeButtonId: PRIVACY_AGREE_BUTTON_ID,
    cancelButtonId: 'privacy-authorize-disagree',
  })
  // Tells WeChat the dialog is on screen (its record that the person saw it).
  resolve({ event: 'exposureAuthorization' })
  resolve((await agreed) ? { event: 'agree', buttonId: PRIVACY_AGREE_BUTTON_ID } : { event: 'disagree' })
}

/** Registers the listener once at launch; a WeChat too old to have the API (base library < 2.32.3) needs none. */
export function installWechatPrivacy(): void {
  if (process.env.TARO_ENV !== 'weapp') return
  if (typeof Taro.onNeedPrivacyAuthorization !== 'function') return
  Taro.onNeedPrivacyAuthorization((resolve) => void handleNeedPrivacyAuthorization(resolve as PrivacyResolve))
}
