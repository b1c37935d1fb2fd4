/// <reference types="@tarojs/taro" />

declare namespace NodeJS {
  interface ProcessEnv {
    /** Replaced at build time by Taro; lets each build drop the other platform's branch. */
    TARO_ENV: 'weapp' | 'h5'
    /** From .env: WeChat cloud environment id; empty = the appid's default environment. */
    TARO_APP_CLOUD_ENV: string
    /** From .env: base URL of the functions for the H5 build, `/api` on the local host. */
    TARO_APP_API_BASE: string
    /** From .env: origin of the local host's dev routes; empty = same origin. */
    TARO_APP_DEV_BASE: string
  }
}
