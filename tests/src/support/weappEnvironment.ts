// The simulate tests' jest environment: jsdom for miniprogram-simulate's pages, plus what the real cloud
// functions need from node (the mongodb driver's node build, TextEncoder, setImmediate ...), because the
// pages' `wx.cloud.callFunction` is answered by the functions themselves in the same process.
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment'
import { TestEnvironment } from 'jest-environment-jsdom'

const NODE_GLOBALS = ['TextEncoder', 'TextDecoder', 'setImmediate', 'clearImmediate', 'structuredClone', 'fetch', 'Request', 'Response', 'Headers', 'AbortController', 'AbortSignal', 'ReadableStream', 'BroadcastChannel'] as const

export default class WeappEnvironment extends TestEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context)
    this.customExportConditions = ['node', 'node-addons']
    const target = this.global as unknown as Record<string, unknown>
    const source = globalThis as unknown as Record<string, unknown>
    for (const name of NODE_GLOBALS) if (source[name] !== undefined) target[name] = source[name]
  }
}
