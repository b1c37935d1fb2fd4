// The id a confirm tap sends with its hold: made once per confirm sheet and reused on a retry, so a
// retry after a lost answer returns the same appointment instead of booking twice (B2).

const REQUEST_ID_BYTES = 12

type FillRandom = (bytes: Uint8Array) => Uint8Array

/** The platform's secure generator where there is one (H5, newer base libraries), else Math.random. */
function platformRandom(): FillRandom {
  const cryptoApi = (globalThis as { crypto?: { getRandomValues?: FillRandom } }).crypto
  if (cryptoApi?.getRandomValues) return (bytes) => cryptoApi.getRandomValues!(bytes)
  return (bytes) => bytes.map(() => Math.floor(Math.random() * 256))
}

/** 24 lowercase hex characters; the booking function accepts 8-64 of [A-Za-z0-9_-]. */
export function newRequestId(fill: FillRandom = platformRandom()): string {
  const bytes = fill(new Uint8Array(REQUEST_ID_BYTES))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
