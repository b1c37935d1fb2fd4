import { dialable, mapMarkerUrl } from '../../../src/utils/mapLink'

it('links a campus to Amap by longitude,latitude with its name', () => {
  expect(mapMarkerUrl({ latitude: 32.0603, longitude: 118.7778, name: '医约示范医院 本部' })).toBe(
    'https://uri.amap.com/marker?position=118.7778,32.0603&name=%E5%8C%BB%E7%BA%A6%E7%A4%BA%E8%8C%83%E5%8C%BB%E9%99%A2%20%E6%9C%AC%E9%83%A8&coordinate=gaode&callnative=1',
  )
})

it.each([
  ['025-8000 0100', '02580000100'],
  ['+86 25 8000 0100', '+862580000100'],
  ['12320', '12320'],
])('dials %s as %s', (typed, dialed) => {
  expect(dialable(typed)).toBe(dialed)
})
