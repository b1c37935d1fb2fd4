import { shortenId } from '../../../src/utils/shortenId'

describe('shortenId', () => {
  it('keeps short ids and shortens long ones to head and tail', () => {
    expect(shortenId('u_123')).toBe('u_123')
    expect(shortenId('u_9f2c4a7e1b3d5f60')).toBe('u_9f…5f60')
  })
})
