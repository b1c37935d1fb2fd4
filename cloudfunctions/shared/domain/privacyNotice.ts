// The privacy notice a person agrees to before the first patient card is added (个人信息保护法 art. 17: what is
// collected, why, who holds it, how long, how to have it removed). One text for the app's short notice, the full
// page under 我的, and the version the `user.agreePrivacy` action records: change the text, bump the version, and
// everyone is asked again at their next card.

/** Bump whenever a sentence below changes in meaning. */
export const PRIVACY_NOTICE_VERSION = '2026-12-01';

export interface PrivacyPoint {
  /** A short label read first: 收集什么, 为什么, ... */
  label: string;
  text: string;
}

/** What the add-card page shows before the first card, in the order a person asks. */
export const PRIVACY_NOTICE_POINTS: readonly PrivacyPoint[] = [
  {
    label: '收集什么',
    text: '就诊人的姓名、证件号码和手机号码；为没有证件的孩子建卡时，是孩子的姓名、性别和出生日期。',
  },
  {
    label: '用来做什么',
    text: '实名挂号：医院的信息系统（HIS）据此为就诊人建档、核对身份；手机号用来接收验证码，方便医院联系您。不会用于挂号就诊以外的事。',
  },
  {
    label: '谁负责',
    text: '医院是这些信息的负责方（个人信息处理者）。证件号码和手机号码加密保存，页面上只显示其中几位。',
  },
  {
    label: '保存多久',
    text: '绑定期间一直保存。医院为就诊建立的档案按国家病历管理规定保存（门诊病历自最后一次就诊起不少于 15 年）。',
  },
  {
    label: '怎么删除',
    text: '在“我的 > 就诊人”里点开就诊人，选“解除绑定”，您的账号就不再保存和使用这位就诊人的信息。',
  },
];

/** The full text under 我的 > 隐私说明: the points above, then what else a person may ask. */
export const PRIVACY_NOTICE_MORE: readonly PrivacyPoint[] = [
  {
    label: '家人一起管理',
    text: '您邀请的家人能看到就诊人的姓名和打码后的证件号、手机号，能帮他/她挂号、缴费和取消预约；您随时可以在“就诊人详情”里移除家人。',
  },
  {
    label: '微信给我们的信息',
    text: '登录时微信只告诉我们您账号的编号（openid），不包括昵称和头像；您选择“用微信手机号验证”时，微信把您的手机号交给我们做比对。',
  },
  {
    label: '有疑问找谁',
    text: '请到医院门诊服务台，或拨打医院的服务电话。您也可以要求查阅、更正您的信息。',
  },
];

/** Whether a person who agreed to `agreedVersion` (null: never) must be asked again before the next card. */
export function needsPrivacyAgreement(agreedVersion: string | null | undefined): boolean {
  return agreedVersion !== PRIVACY_NOTICE_VERSION;
}
