// The client's contract: envelopes in, data or a Chinese ApiError out, on both transports.
import Taro from '@tarojs/taro'
import { ApiError, callFunction, NETWORK_ERROR_MESSAGE } from '../../../src/services/api'

jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    request: jest.fn(),
    getStorageSync: jest.fn(),
    cloud: { init: jest.fn(), callFunction: jest.fn() },
  },
}))

const taro = Taro as unknown as {
  request: jest.Mock
  getStorageSync: jest.Mock
  cloud: { init: jest.Mock; callFunction: jest.Mock }
}

const originalTaroEnv = process.env.TARO_ENV
afterAll(() => {
  if (originalTaroEnv === undefined) delete (process.env as Record<string, string | undefined>).TARO_ENV
  else process.env.TARO_ENV = originalTaroEnv
})

const refusal = { ok: false, code: 'SLOT_FULL', message: '这个时段已经约满了，请换一个时段', requestId: 'req-42' }

describe('callFunction on h5', () => {
  beforeEach(() => {
    process.env.TARO_ENV = 'h5'
    jest.clearAllMocks()
  })

  it('POSTs {action, ...params} to /api/<name> with the dev identity and returns data', async () => {
    taro.getStorageSync.mockReturnValue('demo-patient')
    taro.request.mockResolvedValue({ statusCode: 200, data: { ok: true, data: { user: { id: 'u1' } } } })
    await expect(callFunction('user', 'setPreferences', { elderMode: true })).resolves.toEqual({ user: { id: 'u1' } })
    expect(taro.getStorageSync).toHaveBeenCalledWith('devOpenid')
    expect(taro.request).toHaveBeenCalledWith(
      expect.objectContaining({
        url: '/api/user',
        method: 'POST',
        data: { action: 'setPreferences', elderMode: true },
        header: expect.objectContaining({ 'x-dev-openid': 'demo-patient' }),
      }),
    )
  })

  it('turns {ok:false} (any HTTP status) into an ApiError with code, message and requestId', async () => {
    taro.request.mockResolvedValue({ statusCode: 409, data: refusal })
    const error = await callFunction('booking', 'hold').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'SLOT_FULL', message: refusal.message, requestId: 'req-42' })
  })

  it('keeps the field errors of INVALID_PARAMS, so a form can show each next to its field', async () => {
    const fields = [{ path: 'idNumber', message: '证件号码最后一位校验不对', code: 'ID_NUMBER_CHECKSUM' }]
    taro.request.mockResolvedValue({ statusCode: 400, data: { ok: false, code: 'INVALID_PARAMS', message: '填写的信息有误', requestId: 'r', fields } })
    await expect(callFunction('patient', 'bind')).rejects.toMatchObject({ code: 'INVALID_PARAMS', fields })
  })

  it('reports transport failures and non-envelope answers as a gentle network error', async () => {
    taro.request.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await expect(callFunction('user', 'login')).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE })
    taro.request.mockResolvedValueOnce({ statusCode: 502, data: '<html>Bad Gateway</html>' })
    await expect(callFunction('user', 'login')).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE })
  })
})

describe('callFunction on weapp', () => {
  beforeEach(() => {
    process.env.TARO_ENV = 'weapp'
    jest.clearAllMocks()
  })

  it('calls the cloud function with {action, ...params} and unwraps result', async () => {
    taro.cloud.callFunction.mockResolvedValue({ result: { ok: true, data: { user: { id: 'u1' } } } })
    await expect(callFunction('user', 'login')).resolves.toEqual({ user: { id: 'u1' } })
    expect(taro.cloud.callFunction).toHaveBeenCalledWith({ name: 'user', data: { action: 'login' } })
    expect(taro.request).not.toHaveBeenCalled()
  })

  it('maps a refusal and a failed call the same way as on h5', async () => {
    taro.cloud.callFunction.mockResolvedValueOnce({ result: refusal })
    await expect(callFunction('booking', 'hold')).rejects.toMatchObject({ code: 'SLOT_FULL', requestId: 'req-42' })
    taro.cloud.callFunction.mockRejectedValueOnce(new Error('cloud.callFunction:fail -404011'))
    await expect(callFunction('booking', 'hold')).rejects.toMatchObject({ code: 'NETWORK_ERROR', message: NETWORK_ERROR_MESSAGE })
  })
})
