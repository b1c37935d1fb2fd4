// 输入邀请码: joins a family member's patient card with the one-time code they shared.
import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import { RELATION_LABELS, RELATIONS, SCHEMA_MESSAGES, type Relation } from '@domain/patientSchemas'
import { ChoiceChips } from '../../../components/ChoiceChips'
import { FormBanner, FormField } from '../../../components/FormField'
import { PageShell } from '../../../components/PageShell'
import { PatientSummary } from '../../../components/PatientSummary'
import { isApiError } from '../../../services/api'
import { acceptInvite, type PatientCard } from '../../../services/patients'
import { errorMessage } from '../../../utils/errorMessage'
import { goBackOr } from '../../../utils/navigation'
import { busyButton } from '../../../utils/buttonState'
import { PATIENTS_LIST_PAGE } from '../../../routes'

// A family member is never "本人" to the person accepting.
const RELATION_CHOICES = RELATIONS.filter((value) => value !== 'self').map((value) => ({ value, label: RELATION_LABELS[value] }))
const INVITE_CODE_LENGTH = 8

/** As the server reads it: spaces and dashes dropped, letters in upper case. */
const normaliseCode = (raw: string) => raw.replace(/[\s-]/g, '').toUpperCase()

function codeMessage(code: string, finished: boolean): string | undefined {
  if (code.length > INVITE_CODE_LENGTH || (finished && code.length < INVITE_CODE_LENGTH)) {
    return '邀请码是 8 位字母和数字，请核对后再输入。'
  }
  // Already 8 characters: the length is right, so name the characters codes never use.
  if (code.length === INVITE_CODE_LENGTH && !/^[2-9A-HJKMNP-Z]+$/.test(code)) return '邀请码里不会有数字 0、1 和字母 O、I、L，请再核对一下是不是看成了相近的字。'
  return undefined
}

function Accepted({ patient }: { patient: PatientCard }) {
  return (
    <>
      <View className='card' id='accept-done'>
        <Text className='title'>已经加好了</Text>
        <Text className='notice-text'>从现在起，您可以帮{patient.name}挂号、缴费，也可以出示就诊码。</Text>
        <PatientSummary patient={patient} />
      </View>
      <Button ariaRole='button' className='btn btn-primary' id='accept-to-list' onClick={() => void goBackOr(PATIENTS_LIST_PAGE)}>
        查看我的就诊人
      </Button>
    </>
  )
}

export default function AcceptInvitePage() {
  const { params } = useRouter()
  const [code, setCode] = useState(() => normaliseCode(params.code ?? ''))
  const [relation, setRelation] = useState<Relation | ''>('')
  const [submitted, setSubmitted] = useState(false)
  const [banner, setBanner] = useState<string>()
  const [saving, setSaving] = useState(false)
  const [accepted, setAccepted] = useState<PatientCard>()

  const codeError = codeMessage(code, submitted)
  const relationError = submitted && relation === '' ? SCHEMA_MESSAGES.RELATION_REQUIRED : undefined

  const accept = async () => {
    setSubmitted(true)
    setBanner(undefined)
    if (codeMessage(code, true) || relation === '') return
    setSaving(true)
    try {
      setAccepted(await acceptInvite(code, relation))
    } catch (e) {
      const field = isApiError(e) ? e.fields?.[0]?.message : undefined
      setBanner(field ?? errorMessage(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <PageShell>
      {accepted ? (
        <Accepted patient={accepted} />
      ) : (
        <>
          <Text className='caption'>家人在“就诊人详情”里点“邀请家人一起管理”，就会得到一个 8 位的邀请码。</Text>
          <FormField id='accept-code' label='邀请码' error={codeError}>
            <Input
              id='accept-code'
              className='form-input'
              value={code}
              placeholder='8 位字母和数字'
              maxlength={12}
              onInput={(e) => {
                setCode(normaliseCode(e.detail.value))
                setBanner(undefined)
              }}
            />
          </FormField>
          <FormField id='accept-relation' label='这位就诊人是您的' error={relationError}>
            <ChoiceChips idPrefix='relation' label='与您的关系' options={RELATION_CHOICES} value={relation} onChange={setRelation} />
          </FormField>
          <FormBanner id='accept-banner' message={banner} />
          <Button ariaRole='button' className='btn btn-primary' id='accept-submit' {...busyButton(saving)} onClick={() => void accept()}>
            {saving ? '正在加入…' : '确认加入'}
          </Button>
        </>
      )}
    </PageShell>
  )
}
