// Draws the tab bar icons (81x81 PNG, WeChat's recommended size) without any download.
// Run: npx tsx config/generateTabIcons.ts  (the PNGs are committed under src/assets/tabbar/)
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'

type Shape = (x: number, y: number) => boolean
const SIZE = 81
const SAMPLES = 4 // per axis, for anti-aliased edges

const inRect = (x: number, y: number, x0: number, y0: number, x1: number, y1: number) =>
  x >= x0 && x <= x1 && y >= y0 && y <= y1
const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) =>
  ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1
const inTriangle = (x: number, y: number, apexY: number, baseY: number, cx: number, halfBase: number) =>
  y >= apexY && y <= baseY && Math.abs(x - cx) <= (halfBase * (y - apexY)) / (baseY - apexY)

const home: Shape = (x, y) =>
  (inTriangle(x, y, 10, 40, 40.5, 32) || inRect(x, y, 19, 38, 62, 70)) && !inRect(x, y, 34, 50, 47, 70)

const appointments: Shape = (x, y) => {
  const frame = inRect(x, y, 13, 17, 68, 71) && !inRect(x, y, 18, 34, 63, 66)
  const rings = inRect(x, y, 25, 10, 31, 24) || inRect(x, y, 50, 10, 56, 24)
  const days = [24, 38, 52].some((dx) => [40, 52].some((dy) => inRect(x, y, dx, dy, dx + 6, dy + 7)))
  return frame || rings || days
}

const me: Shape = (x, y) => inEllipse(x, y, 40.5, 26, 14, 14) || (y <= 70 && inEllipse(x, y, 40.5, 74, 28, 26))

function rgba(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

function render(shape: Shape, hex: string): Buffer {
  const [r, g, b] = rgba(hex)
  const rows: Buffer[] = []
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 4) // leading 0 = PNG filter "none"
    for (let px = 0; px < SIZE; px++) {
      let hits = 0
      for (let sy = 0; sy < SAMPLES; sy++)
        for (let sx = 0; sx < SAMPLES; sx++)
          if (shape(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) hits++
      row.set([r, g, b, Math.round((255 * hits) / SAMPLES ** 2)], 1 + px * 4)
    }
    rows.push(row)
  }
  return png(Buffer.concat(rows))
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function png(raw: Buffer): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(SIZE, 0)
  header.writeUInt32BE(SIZE, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA, no interlace
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

// Same colours as the tab bar text in src/app.config.ts.
const INACTIVE = '#5a6170'
const ACTIVE = '#0a6e5c'
const outDir = join(__dirname, '..', 'src', 'assets', 'tabbar')
mkdirSync(outDir, { recursive: true })
for (const [name, shape] of Object.entries({ home, appointments, me })) {
  writeFileSync(join(outDir, `${name}.png`), render(shape, INACTIVE))
  writeFileSync(join(outDir, `${name}-active.png`), render(shape, ACTIVE))
}
console.log(`tab bar icons written to ${outDir}`)
