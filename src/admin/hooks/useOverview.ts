// Loads the admin overview (hospital, departments, doctors) once logged in; `reload` after changes.
import { useCallback, useEffect, useState } from 'react'
import { ApiError, isApiError, NETWORK_ERROR_MESSAGE } from '../../services/api'
import { useUser } from '../../store/UserContext'
import { fetchOverview, type Overview } from '../services/adminApi'

export interface OverviewState {
  overview: Overview | undefined
  error: ApiError | undefined
  reload: () => Promise<void>
}

export function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error
  console.error('[admin] unexpected failure', error)
  return new ApiError('UNEXPECTED', NETWORK_ERROR_MESSAGE)
}

export function useOverview(): OverviewState {
  const { status } = useUser()
  const [overview, setOverview] = useState<Overview | undefined>()
  const [error, setError] = useState<ApiError | undefined>()

  const request = useCallback(
    () =>
      fetchOverview().then(
        (loaded) => {
          setOverview(loaded)
          setError(undefined)
        },
        (e: unknown) => setError(toApiError(e)),
      ),
    [],
  )
  useEffect(() => {
    if (status === 'ready') void request()
  }, [status, request])

  const reload = useCallback(() => {
    setError(undefined)
    return request()
  }, [request])

  return { overview, error, reload }
}

/** Every place of the hospital where a clinic can sit, for the location pickers. */
export function locationChoices(overview: Overview) {
  return overview.hospital.campuses.flatMap((campus) =>
    campus.locations.map((location) => ({
      value: location.id,
      label: overview.hospital.campuses.length > 1 ? `${campus.name} ${location.name}` : location.name,
    })),
  )
}

export function locationName(overview: Overview, locationId: string): string {
  return locationChoices(overview).find((choice) => choice.value === locationId)?.label ?? locationId
}
