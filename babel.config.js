// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
// The mini program ships ES5 syntax (README, "Which phones"). WeChat's base library 1.0.0, the floor
// while no minimum base library is set, runs on iOS 8 JavaScriptCore and Chrome 53
// (wechat-miniprogram/miniprogram-compat, data/browserslist.json). iOS 8 understands a few ES2015
// pieces (computed keys) but not most, so every syntax transform is forced rather than chosen per
// target; config/checkSyntaxFloor.ts parses every dist/**/*.js as ES5 so nothing newer slips through.
module.exports = {
  presets: [
    [
      'taro',
      { framework: 'react', ts: true, compiler: 'webpack5', targets: { ios: '8', chrome: '53' }, forceAllTransforms: true },
    ],
  ],
}
