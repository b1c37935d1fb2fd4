// The caller's patient cards for the confirm sheet, read ahead so the sheet opens with the default
// card already chosen, and read again whenever the page shows (a card may have just been added).
import { useCallback, useEffect, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { isApiError, NETWORK_ERROR_MESSAGE } from '../services/api'
import { listPatients, type PatientCard } from '../services/patients'

export interface PatientCards {
  cards?: PatientCard[]
  error?: string
  reload: () => void
}

export function usePatientCards(enabled: boolean): PatientCards {
  const [cards, setCards] = useState<PatientCard[]>()
  const [error, setError] = useState<string>()
  const reload = useCallback(() => {
    listPatients().then(
      ({ patients }) => {
        setCards(patients)
        setError(undefined)
      },
      (e: unknown) => setError(isApiError(e) ? e.message : NETWORK_ERROR_MESSAGE),
    )
  }, [])
  useEffect(() => {
    if (enabled) reload()
  }, [enabled, reload])
  useDidShow(() => {
    if (enabled) reload()
  })
  return { cards, error, reload }
}

