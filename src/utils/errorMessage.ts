// The sentence to show for a failed call: the server's own words, or a gentle network note.
import { isApiError, NETWORK_ERROR_MESSAGE } from '../services/api'

export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message
  // Not from the API client, so a bug: keep it visible to developers, spare the user the details.
  console.error('[app] unexpected error', error)
  return NETWORK_ERROR_MESSAGE
}
