// Number fields are typed as text; only plain whole numbers go to the server.

/** "12" -> 12; "" -> null (left empty); anything else -> NaN, which the form reports itself. */
export function wholeNumberFromText(text: string): number | null {
  const trimmed = text.trim()
  if (trimmed === '') return null
  return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : NaN
}
