// A stand-in for the `user` cloud function, answering as the backend contract says.
import type { CloudCall } from './wxStubs'

export const demoUser = {
  id: 'u_9f2c4a7e1b3d5f60',
  preferences: { elderMode: null as boolean | null },
  roles: ['patient'],
  createdAt: '2025-11-22T01:00:00.000Z',
}

export function userFunction(call: CloudCall) {
  const { action, elderMode } = call.data
  if (call.name !== 'user') return { ok: false, code: 'NOT_FOUND', message: '没有这个服务', requestId: 'req-1' }
  if (action === 'login') return { ok: true, data: { user: demoUser } }
  if (action === 'setPreferences') {
    return { ok: true, data: { user: { ...demoUser, preferences: { elderMode } } } }
  }
  return { ok: false, code: 'UNKNOWN_ACTION', message: '暂不支持这个操作', requestId: 'req-2' }
}
