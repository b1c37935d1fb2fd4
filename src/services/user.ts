// The `user` cloud function: login (creates the hospital user on first call) and preferences.
import { callFunction } from './api'

export interface UserPreferences {
  /** null until the user chooses; the theme then follows the system font setting. */
  elderMode: boolean | null
}

export interface User {
  id: string
  preferences: UserPreferences
  roles: string[]
  /** The privacy notice version this person agreed to before adding cards (null: not yet). */
  privacy: { agreedVersion: string | null; agreedAt: string | null }
  createdAt: string
}

export async function login(): Promise<User> {
  const { user } = await callFunction<{ user: User }>('user', 'login')
  return user
}

export async function setPreferences(preferences: { elderMode: boolean }): Promise<User> {
  const { user } = await callFunction<{ user: User }>('user', 'setPreferences', preferences)
  return user
}

/** Records agreement to the privacy notice the app showed (its version, from @domain/privacyNotice). */
export async function agreePrivacy(version: string): Promise<User> {
  const { user } = await callFunction<{ user: User }>('user', 'agreePrivacy', { version })
  return user
}
