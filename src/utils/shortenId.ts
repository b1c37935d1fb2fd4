// Long ids are unreadable aloud; head and tail are enough to tell accounts apart.
export function shortenId(id: string): string {
  return id.length <= 12 ? id : `${id.slice(0, 4)}…${id.slice(-4)}`
}
