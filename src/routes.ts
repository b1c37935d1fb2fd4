// Page URLs used for navigation; the tab pages must match app.config.ts.
export const HOME_PAGE = '/pages/home/index/index'
export const APPOINTMENTS_PAGE = '/pages/appointments/index/index'
export const ME_PAGE = '/pages/me/index/index'
/** Exists in the H5 build only (see app.config.ts). */
export const DEV_LOGIN_PAGE = '/pages/dev/login/index'
