// A QR code as a GIF data URL, which <Image> shows on both weapp and H5 without a canvas.
import qrcode from 'qrcode-generator'

/** `cellPx` per module and the 4-module quiet zone scanners need around the code. */
export function qrDataUrl(text: string, cellPx = 10): string {
  // Type 0 picks the smallest version that fits; level M survives a scratched or glaring screen.
  const qr = qrcode(0, 'M')
  qr.addData(text, 'Byte')
  qr.make()
  return qr.createDataURL(cellPx, cellPx * 4)
}
