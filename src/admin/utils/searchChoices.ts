// Filtering a long list of choices by what staff typed: any part of the name, the extra line (科室), or the
// initials of the name in pinyin when the list supplies them ("wjg" finds 王建国).
import type { Choice } from '../components/ChoiceField'

export interface SearchChoice extends Choice {
  /** A second line, e.g. the department and title. */
  detail?: string
  /** More text that should find this choice (pinyin initials, department). */
  keywords?: string
}

export function matchingChoices(choices: SearchChoice[], query: string): SearchChoice[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return choices
  return choices.filter((choice) => {
    const text = `${choice.label} ${choice.detail ?? ''} ${choice.keywords ?? ''}`.toLowerCase()
    return words.every((word) => text.includes(word))
  })
}
