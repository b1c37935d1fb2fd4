// 添加就诊人: the form for a card bound by ID number; every field is checked as it is typed, by the server's own
// rules. The server then asks to verify the typed phone for every person (new here or not): the prove page follows.
// Before the first card the short privacy notice comes first (./PrivacyGate); "孩子还没有身份证？" opens the
// guardian's form for a child without an ID (./ChildForm), proven the same way.
import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import dayjs from 'dayjs'
import { ID_DOCUMENT_TYPES, type IdDocumentType } from '@domain/idDocument'
import { ID_TYPE_LABELS, RELATION_LABELS, RELATIONS, type Relation } from '@domain/patientSchemas'
import { ChoiceChips } from '../../../components/ChoiceChips'
import { FormBanner, FormField } from '../../../components/FormField'
import { PageShell } from '../../../components/PageShell'
import { isApiError } from '../../../services/api'
import { needsPrivacyAgreement } from '@domain/privacyNotice'
import { bindPatient, listPatients, type GuardianPath } from '../../../services/patients'
import { useUser } from '../../../store/UserContext'
import {
  liveCheck,
  placeServerErrors,
  submitErrors,
  type FieldMessages,
  type PatientFormField,
  type PatientFormValues,
} from '../../../utils/patientForm'
import { errorMessage } from '../../../utils/errorMessage'
import { goBackOr } from '../../../utils/navigation'
import { busyButton } from '../../../utils/buttonState'
import { PATIENTS_LIST_PAGE, PATIENTS_PROVE_PAGE } from '../../../routes'
import { keepProofDraft } from '../../../services/proofDraft'
import { showNotice } from '../../../components/AppDialog'
import { ChildForm } from './ChildForm'
import { PrivacyGate } from './PrivacyGate'
import './index.scss'

const ID_TYPE_CHOICES = ID_DOCUMENT_TYPES.map((value) => ({ value, label: ID_TYPE_LABELS[value] }))
const RELATION_CHOICES = RELATIONS.map((value) => ({ value, label: RELATION_LABELS[value] }))
const EMPTY_FORM: PatientFormValues = { name: '', idType: 'mainland_id', idNumber: '', phone: '', relation: '' }

/** The phone's own date is enough for the form; the server re-checks against the hospital's date. */
const today = () => dayjs().format('YYYY-MM-DD')

export default function AddPatientPage() {
  const { user } = useUser()
  const [mode, setMode] = useState<'document' | 'child'>('document')
  const [guardianPath, setGuardianPath] = useState<GuardianPath>()
  useEffect(() => {
    // Only to know whether to offer the child path; the form works without it.
    listPatients().then(
      (answer) => setGuardianPath(answer.guardianPath),
      () => setGuardianPath(undefined),
    )
  }, [])

  if (user && needsPrivacyAgreement(user.privacy.agreedVersion)) {
    return (
      <PageShell>
        <PrivacyGate />
      </PageShell>
    )
  }

  const childPath = guardianPath?.allowed ? guardianPath : undefined
  return (
    <PageShell>
      {childPath && mode === 'document' && (
        <Button ariaRole='button' className='btn btn-secondary add-switch' id='add-child-path' onClick={() => setMode('child')}>
          孩子还没有身份证？点这里
        </Button>
      )}
      {childPath && mode === 'child' ? (
        <>
          <ChildForm guardianPath={childPath} />
          <Button ariaRole='button' className='btn btn-secondary add-switch' id='add-document-path' onClick={() => setMode('document')}>
            有证件号码，按证件添加
          </Button>
        </>
      ) : (
        <DocumentForm />
      )}
    </PageShell>
  )
}

/** The card by ID document. */
function DocumentForm() {
  const [values, setValues] = useState(EMPTY_FORM)
  const [left, setLeft] = useState<Set<PatientFormField>>(() => new Set())
  const [submitted, setSubmitted] = useState(false)
  const [serverErrors, setServerErrors] = useState<FieldMessages>({})
  const [banner, setBanner] = useState<string>()
  const [saving, setSaving] = useState(false)

  const change = <F extends PatientFormField>(field: F, value: PatientFormValues[F]) => {
    setValues((previous) => ({ ...previous, [field]: value }))
    // The server's word was about the old value; the ID number's also depends on the ID type.
    setServerErrors((previous) => ({ ...previous, [field]: undefined, ...(field === 'idType' && { idNumber: undefined }) }))
    setBanner(undefined)
  }
  const leave = (field: PatientFormField) => setLeft((previous) => new Set(previous).add(field))
  const check = (field: PatientFormField) => {
    const server = serverErrors[field]
    if (server) return { error: server }
    return liveCheck(field, values, { today: today(), finished: submitted || left.has(field) })
  }

  const save = async () => {
    setSubmitted(true)
    setBanner(undefined)
    if (Object.keys(submitErrors(values, today())).length > 0) {
      setBanner('有几处需要改一改，请看红色的提示。')
      return
    }
    setSaving(true)
    const form = { ...values, relation: values.relation as Relation }
    try {
      await bindPatient(form)
      showNotice('已添加')
      await goBackOr(PATIENTS_LIST_PAGE)
    } catch (e) {
      if (isApiError(e) && e.code === 'PATIENT_NEEDS_PROOF') {
        // The answer to every bind by ID, whether or not the person is known here: the next page verifies the phone.
        keepProofDraft(form)
        await Taro.navigateTo({ url: PATIENTS_PROVE_PAGE })
      } else if (isApiError(e) && e.fields?.length) {
        const placed = placeServerErrors(e.fields)
        setServerErrors(placed.byField)
        setBanner(placed.other[0] ?? '有几处需要改一改，请看红色的提示。')
      } else {
        setBanner(errorMessage(e))
      }
    } finally {
      setSaving(false)
    }
  }

  const name = check('name')
  const idNumber = check('idNumber')
  const phone = check('phone')

  return (
    <>
      <Text className='caption add-intro'>请按证件上的信息填写，医院会据此为就诊人建档。</Text>
      <FormField id='add-name' label='姓名' error={name.error} hint={name.hint}>
        <Input
          id='add-name'
          className='form-input'
          value={values.name}
          placeholder='与证件上的姓名一致'
          maxlength={60}
          onInput={(e) => change('name', e.detail.value)}
          onBlur={() => leave('name')}
        />
      </FormField>
      <FormField id='add-id-type' label='证件类型' error={check('idType').error}>
        <ChoiceChips
          idPrefix='id-type'
          label='证件类型'
          options={ID_TYPE_CHOICES}
          value={values.idType}
          stacked
          onChange={(value: IdDocumentType) => change('idType', value)}
        />
      </FormField>
      <FormField id='add-id-number' label='证件号码' error={idNumber.error} hint={idNumber.hint}>
        <Input
          id='add-id-number'
          className='form-input'
          type='idcard'
          value={values.idNumber}
          placeholder='18 位证件号码'
          maxlength={24}
          onInput={(e) => change('idNumber', e.detail.value)}
          onBlur={() => leave('idNumber')}
        />
      </FormField>
      <FormField id='add-phone' label='手机号码' error={phone.error} hint={phone.hint}>
        <Input
          id='add-phone'
          className='form-input'
          type='number'
          value={values.phone}
          placeholder='11 位手机号码，用来接收验证码'
          maxlength={11}
          onInput={(e) => change('phone', e.detail.value)}
          onBlur={() => leave('phone')}
        />
      </FormField>
      <FormField id='add-relation' label='这位就诊人是您的' error={check('relation').error}>
        <ChoiceChips
          idPrefix='relation'
          label='与您的关系'
          options={RELATION_CHOICES}
          value={values.relation}
          onChange={(value: Relation) => change('relation', value)}
        />
      </FormField>
      <FormBanner id='add-banner' message={banner} />
      <Button ariaRole='button' className='btn btn-primary' id='add-submit' {...busyButton(saving)} onClick={() => void save()}>
        {saving ? '请稍等…' : '下一步：验证手机号'}
      </Button>
      <View className='add-privacy'>
        <Text className='caption'>
          下一步会给您填写的手机号发一条验证码。如果就诊人在医院登记过，请填写登记时留的手机号。证件号码和手机号码会加密保存，页面上只显示其中几位，请放心填写。
        </Text>
      </View>
    </>
  )
}
