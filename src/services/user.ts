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
