import { newRequestId } from '../../../src/utils/requestId'

describe('request ids for a hold', () => {
  it('are 24 hex characters, which the booking function accepts (8-64 of A-Za-z0-9_-)', () => {
    const id = newRequestId()
    expect(id).toMatch(/^[0-9a-f]{24}$/)
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
  })

  it('write every byte as two hex digits, leading zeros kept', () => {
    const fill = (bytes: Uint8Array) => bytes.map((_, index) => [0, 1, 15, 16, 255][index % 5])
    expect(newRequestId(fill)).toBe('00010f10ff00010f10ff0001')
  })

  it('differ from one confirm sheet to the next', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newRequestId()))
    expect(ids.size).toBe(1000)
  })

  it('still come out right where the runtime has no crypto (older WeChat base libraries)', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto')
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true })
    try {
      const ids = new Set(Array.from({ length: 100 }, () => newRequestId()))
      expect(ids.size).toBe(100)
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/)
    } finally {
      if (saved) Object.defineProperty(globalThis, 'crypto', saved)
    }
  })
})
