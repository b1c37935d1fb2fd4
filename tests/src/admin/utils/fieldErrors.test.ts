// API failures land next to the field they are about; everything else beside the save button.
import { ApiError } from '../../../../src/services/api'
import { formFailureOf, INLINE_ONLY_MESSAGE } from '../../../../src/admin/utils/fieldErrors'

jest.mock('@tarojs/taro', () => ({ __esModule: true, default: {} }))

const known = ['name', 'releaseRules.daysAhead']

describe('formFailureOf', () => {
  it('maps field paths the form shows to their sentences', () => {
    const error = new ApiError('INVALID_PARAMS', '填写的信息有误', 'req-1', [
      { path: 'name', message: '科室名称至少 2 个字' },
      { path: 'releaseRules.daysAhead', message: '最多提前 90 天放号' },
    ])
    expect(formFailureOf(error, known)).toEqual({
      fields: { name: '科室名称至少 2 个字', 'releaseRules.daysAhead': '最多提前 90 天放号' },
      message: INLINE_ONLY_MESSAGE,
    })
  })

  it('keeps paths the form has no field for in the form message', () => {
    const error = new ApiError('INVALID_PARAMS', '填写的信息有误', 'req-2', [
      { path: 'name', message: '科室名称至少 2 个字' },
      { path: 'sort', message: '排序不对' },
    ])
    expect(formFailureOf(error, known)).toEqual({ fields: { name: '科室名称至少 2 个字' }, message: '排序不对', requestId: 'req-2' })
  })

  it('shows a coded failure without fields as it came, with its request id', () => {
    const error = new ApiError('NOT_FOUND', '没有找到这个科室。', 'req-3')
    expect(formFailureOf(error, known)).toEqual({ fields: {}, message: '没有找到这个科室。', requestId: 'req-3' })
  })

  it('turns an unexpected failure into the network sentence, and logs it', () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(formFailureOf(new TypeError('boom'), known)).toEqual({ fields: {}, message: '网络不太稳定，请稍后再试' })
    expect(log).toHaveBeenCalled()
    log.mockRestore()
  })
})
