// Finds the card of the person at the desk: by card number, or by name and the last 4 of the ID, as 患者查询
// does (the look-up is audited with the reason 窗口办理业务). The matches are large rows to tap.
import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { busyButton } from '../../utils/buttonState'
import { lookupPatient, type LookedUpPerson } from '../services/clinicDayApi'
import { formFailureOf, type FormFailure } from '../utils/fieldErrors'
import { ChoiceField } from './ChoiceField'
import { TextField } from './FormField'
import { FormMessage } from './FormMessage'
import './admin.scss'

const WAYS = [
  { value: 'nameId', label: '姓名和证件后 4 位' },
  { value: 'card', label: '就诊卡号' },
]

interface CardFinderProps {
  id: string
  onPick: (person: LookedUpPerson) => void
}

export function CardFinder({ id, onPick }: CardFinderProps) {
  const [by, setBy] = useState('nameId')
  const [name, setName] = useState('')
  const [idLast4, setIdLast4] = useState('')
  const [cardId, setCardId] = useState('')
  const [people, setPeople] = useState<LookedUpPerson[]>()
  const [failure, setFailure] = useState<FormFailure>()
  const [busy, setBusy] = useState(false)

  const find = async () => {
    setBusy(true)
    setFailure(undefined)
    setPeople(undefined)
    try {
      const query = by === 'card' ? { by: 'card' as const, patientId: cardId.trim() } : { by: 'nameId' as const, name: name.trim(), idLast4: idLast4.trim() }
      setPeople((await lookupPatient({ ...query, reason: 'counter_service' })).people)
    } catch (e) {
      setFailure(formFailureOf(e, ['name', 'idLast4', 'patientId']))
    } finally {
      setBusy(false)
    }
  }
  const errors = failure?.fields ?? {}
  return (
    <View className='admin-form' id={id}>
      <ChoiceField id={`${id}-by`} label='怎么查患者' choices={WAYS} value={by} onChange={setBy} />
      {by === 'card' ? (
        <TextField id={`${id}-card`} label='就诊卡号' value={cardId} onChange={setCardId} maxlength={24} placeholder='24 位就诊卡号' error={errors.patientId} />
      ) : (
        <>
          <TextField id={`${id}-name`} label='姓名' value={name} onChange={setName} maxlength={40} placeholder='和证件上的一致' error={errors.name} />
          <TextField id={`${id}-last4`} label='证件号码后 4 位' value={idLast4} onChange={setIdLast4} maxlength={4} placeholder='例如 123X' error={errors.idLast4} />
        </>
      )}
      {failure && <FormMessage id={`${id}-message`} tone='error' message={failure.message} requestId={failure.requestId} />}
      <Button ariaRole='button' className='btn btn-secondary' id={`${id}-find`} {...busyButton(busy)} onClick={() => void find()}>
        查找患者
      </Button>
      {people?.map((person) => (
        <View key={person.patient.id} className='admin-pick-item' id={`${id}-person-${person.patient.id}`} ariaRole='button' ariaLabel={`为${person.patient.name}加号`} onClick={() => onPick(person)}>
          <Text>
            {person.patient.name} {person.patient.idNumber ?? ''}
          </Text>
          <Text className='caption'>{person.restriction.restricted ? person.restriction.message : `手机 ${person.patient.phone}`}</Text>
        </View>
      ))}
    </View>
  )
}
