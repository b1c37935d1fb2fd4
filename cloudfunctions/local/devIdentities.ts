// Demo identities for the local host's dev login; they exist only there, never in a deployed function.

export interface DevIdentity {
  openid: string;
  name: string;
  role: 'patient' | 'family' | 'admin';
  description: string;
}

export const DEV_APPID = 'wx-local-dev';

export const DEV_IDENTITIES: DevIdentity[] = [
  { openid: 'demo-patient', name: '张秀英', role: 'patient', description: '72 岁的患者，自己用手机挂号' },
  { openid: 'demo-family', name: '王磊', role: 'family', description: '张秀英的儿子，帮父母管理就诊人和挂号' },
  { openid: 'demo-admin', name: '李护士长', role: 'admin', description: '门诊部工作人员，管理排班、停诊和签到' },
];

/** Openids the local host grants the admin role, so the demo admin can use the admin pages. */
export const DEV_ADMIN_OPENIDS = DEV_IDENTITIES.filter((identity) => identity.role === 'admin').map((identity) => identity.openid);
