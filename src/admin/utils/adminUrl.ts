// Page URLs with their query, for Taro.navigateTo; empty values are left out.

export function adminUrl(page: string, query: Record<string, string | undefined> = {}): string {
  const pairs = Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1]))
  if (pairs.length === 0) return page
  return `${page}?${pairs.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`
}
