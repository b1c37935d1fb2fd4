// Fees are stored as whole fen; staff type yuan ("25", "25.5", "25.50").

/** "25.5" -> 2550; undefined unless it is a non-negative amount with at most two decimals. */
export function fenFromYuanText(text: string): number | undefined {
  const match = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(text.trim())
  if (!match) return undefined
  const cents = (match[2] ?? '').padEnd(2, '0')
  return Number(match[1]) * 100 + Number(cents)
}

/** 2500 -> "25", 2550 -> "25.5", 2505 -> "25.05": what the fee input starts with. */
export function yuanTextFromFen(fen: number): string {
  const yuan = Math.floor(fen / 100)
  const cents = String(fen % 100).padStart(2, '0').replace(/0$/, '')
  return fen % 100 === 0 ? String(yuan) : `${yuan}.${cents}`
}
