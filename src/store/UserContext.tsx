// Who is using the app: logs in at launch and keeps the hospital user for every page.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type PropsWithChildren } from 'react'
import { ApiError, isApiError, NETWORK_ERROR_MESSAGE } from '../services/api'
import { getDevOpenid } from '../services/devIdentity'
import { PRIVACY_NOTICE_VERSION } from '@domain/privacyNotice'
import { agreePrivacy as agreePrivacyRequest, login as loginRequest, setPreferences, type User } from '../services/user'

/** `needs-dev-login` only happens in H5, where identity comes from the local host's dev login. */
export type UserStatus = 'loading' | 'ready' | 'error' | 'needs-dev-login'

export interface UserContextValue {
  status: UserStatus
  user: User | undefined
  error: ApiError | undefined
  login: () => Promise<void>
  setElderMode: (elderMode: boolean) => Promise<void>
  /** Agrees to the privacy notice this app shows; the server keeps the version. */
  agreePrivacy: () => Promise<void>
}

const UserContext = createContext<UserContextValue | null>(null)

function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error
  console.error('[user] unexpected login failure', error)
  return new ApiError('UNEXPECTED', NETWORK_ERROR_MESSAGE)
}

/** In H5 the local host needs a demo identity before anyone can log in. */
function needsDevLogin(): boolean {
  return process.env.TARO_ENV === 'h5' && !getDevOpenid()
}

export function UserProvider({ children }: PropsWithChildren) {
  const [status, setStatus] = useState<UserStatus>(() => (needsDevLogin() ? 'needs-dev-login' : 'loading'))
  const [user, setUser] = useState<User | undefined>()
  const [error, setError] = useState<ApiError | undefined>()

  const requestLogin = useCallback(
    () =>
      loginRequest().then(
        (loggedIn) => {
          setUser(loggedIn)
          setStatus('ready')
        },
        (e: unknown) => {
          setError(toApiError(e))
          setStatus('error')
        },
      ),
    [],
  )

  /** Logs in again: the retry button, and the dev login page after choosing an identity. */
  const login = useCallback(async () => {
    if (needsDevLogin()) {
      setStatus('needs-dev-login')
      return
    }
    setStatus('loading')
    setError(undefined)
    await requestLogin()
  }, [requestLogin])

  // Optimistic, so the text grows the moment the switch is tapped; rolled back if saving fails.
  const setElderMode = useCallback(
    async (elderMode: boolean) => {
      if (!user) throw new ApiError('NOT_LOGGED_IN', '还没有登录成功，请稍后再试')
      setUser({ ...user, preferences: { ...user.preferences, elderMode } })
      try {
        setUser(await setPreferences({ elderMode }))
      } catch (e) {
        setUser(user)
        throw toApiError(e)
      }
    },
    [user],
  )

  const agreePrivacy = useCallback(async () => {
    try {
      setUser(await agreePrivacyRequest(PRIVACY_NOTICE_VERSION))
    } catch (e) {
      throw toApiError(e)
    }
  }, [])

  // Log in at launch (status starts as 'loading'), unless H5 still waits for a dev identity.
  useEffect(() => {
    if (!needsDevLogin()) void requestLogin()
  }, [requestLogin])

  const value = useMemo(
    () => ({ status, user, error, login, setElderMode, agreePrivacy }),
    [status, user, error, login, setElderMode, agreePrivacy],
  )
  return <UserContext.Provider value={value}>{children}</UserContext.Provider>
}

export function useUser(): UserContextValue {
  const value = useContext(UserContext)
  if (!value) throw new Error('useUser must be used inside <UserProvider>')
  return value
}
