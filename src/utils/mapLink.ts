// Where a campus is, as a link any phone browser opens: Amap's public marker page, which hands over to
// the Amap app when installed. Coordinates are GCJ-02 (coordinate=gaode), as stored for WeChat's map.

export interface MapPoint {
  latitude: number
  longitude: number
  name: string
}

export function mapMarkerUrl({ latitude, longitude, name }: MapPoint): string {
  return `https://uri.amap.com/marker?position=${longitude},${latitude}&name=${encodeURIComponent(name)}&coordinate=gaode&callnative=1`
}

/** For `tel:` and makePhoneCall: digits and a leading + only (staff type 025-8000 0100). */
export function dialable(phone: string): string {
  return phone.replace(/[^\d+]/g, '')
}
