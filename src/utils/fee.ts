// Registration fees are stored in fen; patients read yuan, and a free clinic says so plainly.

/** 2500 -> "25", 2550 -> "25.5", 2505 -> "25.05". */
export function yuanFromFen(fen: number): string {
  if (fen % 100 === 0) return String(fen / 100)
  return (fen / 100).toFixed(2).replace(/0$/, '')
}

/** "专家号 · 挂号费 80 元", or "普通号 · 免费" when the fee is 0. */
export function describeFee(feeClass: string, feeFen: number): string {
  const kind = `${feeClass}号`
  return feeFen === 0 ? `${kind} · 免费` : `${kind} · 挂号费 ${yuanFromFen(feeFen)} 元`
}

/** What one appointment costs, as the confirm sheet and the slip say it: "免费" or "挂号费 25 元". */
export function feeText(feeFen: number): string {
  return feeFen === 0 ? '免费' : `挂号费 ${yuanFromFen(feeFen)} 元`
}
