// Taro build config, written by hand (no `taro init`): weapp -> dist/, h5 -> dist-h5/.
import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

const DOMAIN_DIR = path.resolve(__dirname, '..', 'cloudfunctions/shared/domain')

// The mini program ships ES5 (README, "Which phones"): packages such as zod 4 publish ES2020
// (optional chaining, class fields), and WeChat uploads dist/ as it is (project.config.json has
// `es6: false`), so every package that reaches the bundle goes through Babel too. Taro already
// compiles its own packages; @babel/runtime and core-js are left out by babel-preset-taro.
const isNodeModule = (file: string) => /[\\/]node_modules[\\/]/.test(file)

export default defineConfig<'webpack5'>(async (merge) => {
  const isH5 = process.env.TARO_ENV === 'h5'
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'yiyue',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // Separate roots so a weapp and an h5 build never overwrite each other.
    outputRoot: isH5 ? 'dist-h5' : 'dist',
    plugins: [],
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    // The app checks forms with the very rules the cloud functions apply (pure modules, zod and dayjs);
    // they live outside src, so each platform's `compile.include` lets Babel read their TypeScript.
    alias: { '@domain': DOMAIN_DIR },
    cache: { enable: false },
    mini: {
      compile: { include: [DOMAIN_DIR, isNodeModule] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      compile: { include: [DOMAIN_DIR] },
      publicPath: '/',
      staticDirectory: 'static',
      // Hash routing: the local host only has to serve index.html at `/`.
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      // Taro's H5 runtime with React is ~380 KiB before gzip; warn only when the app itself grows.
      webpackChain(chain) {
        chain.performance.maxAssetSize(512 * 1024).maxEntrypointSize(512 * 1024)
      },
      postcss: {
        pxtransform: { enable: true, config: {} },
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  }
  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig)
  return merge({}, baseConfig, prodConfig)
})
