// Pages and tab bar. The dev login page is listed for H5 only, so weapp never ships it.
const pages = ['pages/home/index/index', 'pages/appointments/index/index', 'pages/me/index/index']
// Patient cards (就诊人), family invites and the staff check of a visit code.
pages.push('pages/patients/list/index', 'pages/patients/add/index', 'pages/patients/detail/index', 'pages/patients/accept/index', 'pages/patients/verify/index')
// Asked for when the person may already be known here: an invite, an SMS code, or (weapp) WeChat's phone check.
pages.push('pages/patients/prove/index')
// The owner changes a card's phone on record (a code to the new phone).
pages.push('pages/patients/phone/index')
pages.push('pages/catalog/department/index', 'pages/catalog/doctor/index')
// The answer to a booking with its slip; also where 预约记录 opens an appointment.
pages.push('pages/booking/result/index')
// A slip shared with the family member who goes: read-only, opened from a link or a WeChat share card.
pages.push('pages/booking/shared/index')
// 消息: the message center and 消息设置.
pages.push('pages/messages/index/index', 'pages/messages/settings/index')
// 隐私说明: the full privacy notice, from 我的 and from the short notice before the first card.
pages.push('pages/privacy/index/index')
// The local host's sandbox cashier (模拟支付) stands in for WeChat Pay's own cashier, so it is H5 only too.
if (process.env.TARO_ENV === 'h5') pages.push('pages/dev/login/index', 'pages/booking/cashier/index')

export default defineAppConfig({
  pages,
  // WeChat's privacy check: privacy APIs wait for the app's own dialog (src/services/wechatPrivacy.ts). On by
  // default since 2023-09-15; declared so older base libraries behave the same.
  ...(process.env.TARO_ENV === 'weapp' && { __usePrivacyCheck__: true }),
  // Staff pages load only when staff open them, keeping the patients' main package small.
  subPackages: [
    {
      root: 'admin',
      pages: [
        'pages/index/index',
        'pages/department/index',
        'pages/doctor/index',
        'pages/templates/index',
        'pages/generate/index',
        'pages/extra-slot/index',
        'pages/reconciliation/index',
        'pages/stop-clinic/index',
        'pages/check-in/index',
        'pages/lookup/index',
        'pages/audit/index',
        'pages/scripting/index',
        'pages/messages/index',
        'pages/home-content/index',
      ],
    },
  ],
  window: {
    navigationBarTitleText: '医约',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f4f6f8',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    // Weapp draws src/custom-tab-bar so the bar follows elder mode; H5 keeps Taro's own bar, which
    // app.scss enlarges in elder mode. These colours match the standard theme's tokens.
    custom: process.env.TARO_ENV === 'weapp',
    color: '#5a6170',
    selectedColor: '#0a6e5c',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/home/index/index',
        text: '首页',
        iconPath: 'assets/tabbar/home.png',
        selectedIconPath: 'assets/tabbar/home-active.png',
      },
      {
        pagePath: 'pages/appointments/index/index',
        text: '预约记录',
        iconPath: 'assets/tabbar/appointments.png',
        selectedIconPath: 'assets/tabbar/appointments-active.png',
      },
      {
        pagePath: 'pages/me/index/index',
        text: '我的',
        iconPath: 'assets/tabbar/me.png',
        selectedIconPath: 'assets/tabbar/me-active.png',
      },
    ],
  },
})
