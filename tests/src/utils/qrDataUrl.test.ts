// The visit code's QR image: a GIF data URL sized to the code's modules plus the quiet zone.
import qrcode from 'qrcode-generator'
import { qrDataUrl } from '../../../src/utils/qrDataUrl'

const CODE = 'YY1.6566f0a1b2c3d4e5f6a7b8c9.1764122700.AbCdEfGhIjKlMnOpQrStUv'

it('draws the whole visit code as a GIF with a four-module quiet zone', () => {
  const url = qrDataUrl(CODE, 10)
  expect(url.startsWith('data:image/gif;base64,')).toBe(true)
  const gif = Buffer.from(url.slice('data:image/gif;base64,'.length), 'base64')
  expect(gif.subarray(0, 6).toString('ascii')).toBe('GIF87a')
  const reference = qrcode(0, 'M')
  reference.addData(CODE, 'Byte')
  reference.make()
  const side = (reference.getModuleCount() + 8) * 10
  expect(gif.readUInt16LE(6)).toBe(side)
  expect(gif.readUInt16LE(8)).toBe(side)
})
