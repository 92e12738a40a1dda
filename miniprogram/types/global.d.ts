/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.css'

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5'
    /** The palmaid server the mini-program talks to (weapp); empty in H5 = same origin. */
    TARO_APP_API?: string
  }
}
