// 孩子还没有身份证？ The add-card form for a child without an ID number, added under the guardian's own card: name,
// sex, birth date from a picker, the relation, and the guardian's phone, which is then proven by SMS exactly like a
// card by ID (the prove page follows the server's PATIENT_NEEDS_PROOF).
import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Picker, Text, View } from '@tarojs/components'
import dayjs from 'dayjs'
import type { Sex } from '@domain/idDocument'
import { GUARDIAN_RELATIONS, RELATION_LABELS, type Relation } from '@domain/patientSchemas'
import { ChoiceChips } from '../../../components/ChoiceChips'
import { FormBanner, FormField } from '../../../components/FormField'
import { isApiError } from '../../../services/api'
import { bindPatient, type GuardianPath } from '../../../services/patients'
import { keepProofDraft } from '../../../services/proofDraft'
import { disabledButton } from '../../../utils/buttonState'
import { checkChildForm, CHILD_FORM_FIELDS, EMPTY_CHILD_FORM, SEX_CHOICES, type ChildFieldMessages, type ChildFormField, type ChildFormValues } from '../../../utils/childForm'
import { errorMessage } from '../../../utils/errorMessage'
import { PATIENTS_PROVE_PAGE } from '../../../routes'

const RELATION_CHOICES = GUARDIAN_RELATIONS.map((value) => ({ value, label: RELATION_LABELS[value] }))
const today = () => dayjs().format('YYYY-MM-DD')

export function ChildForm({ guardianPath }: { guardianPath: GuardianPath }) {
  const [values, setValues] = useState<ChildFormValues>(EMPTY_CHILD_FORM)
  const [errors, setErrors] = useState<ChildFieldMessages>({})
  const [banner, setBanner] = useState<string>()
  const [saving, setSaving] = useState(false)
  const { maxAgeYears } = guardianPath
  // The youngest birth date the path refuses is the Nth birthday: the picker starts the day after it.
  const earliest = dayjs(today()).subtract(maxAgeYears, 'year').add(1, 'day').format('YYYY-MM-DD')

  const change = <F extends ChildFormField>(field: F, value: ChildFormValues[F]) => {
    setValues((previous) => ({ ...previous, [field]: value }))
    setErrors((previous) => ({ ...previous, [field]: undefined }))
    setBanner(undefined)
  }

  const save = async () => {
    setBanner(undefined)
    const checked = checkChildForm(values, today(), maxAgeYears)
    setErrors(checked.errors)
    if (!checked.form) {
      setBanner('有几处需要改一改，请看红色的提示。')
      return
    }
    setSaving(true)
    try {
      await bindPatient(checked.form)
      // Never reached: every bind asks for the phone's code first.
      setBanner('请稍后再试一次。')
    } catch (e) {
      if (isApiError(e) && e.code === 'PATIENT_NEEDS_PROOF') {
        keepProofDraft(checked.form)
        await Taro.navigateTo({ url: PATIENTS_PROVE_PAGE })
      } else if (isApiError(e) && e.fields?.length) {
        const byField: ChildFieldMessages = {}
        for (const field of e.fields) {
          const name = field.path.split('.')[0]
          if ((CHILD_FORM_FIELDS as readonly string[]).includes(name)) byField[name as ChildFormField] ??= field.message
        }
        setErrors(byField)
        setBanner(e.fields.find((field) => !(field.path.split('.')[0] in byField))?.message ?? '有几处需要改一改，请看红色的提示。')
      } else {
        setBanner(errorMessage(e))
      }
    } finally {
      setSaving(false)
    }
  }

  return (
    <View id='child-form'>
      <Text className='notice-text add-intro' id='child-intro'>
        未满 {maxAgeYears} 周岁、还没有身份证号码的孩子，可以挂在您本人的就诊卡下建档。请先添加您本人（关系选“本人”），再来添加孩子。
      </Text>
      <FormField id='child-name' label='孩子的姓名' error={errors.childName}>
        <Input
          id='child-name'
          className='form-input'
          value={values.childName}
          placeholder='与户口簿或出生医学证明一致'
          maxlength={60}
          onInput={(e) => change('childName', e.detail.value)}
        />
      </FormField>
      <FormField id='child-sex' label='性别' error={errors.childSex}>
        <ChoiceChips idPrefix='child-sex' label='孩子的性别' options={SEX_CHOICES} value={values.childSex} onChange={(value: Sex) => change('childSex', value)} />
      </FormField>
      <FormField id='child-birth' label='出生日期' error={errors.childBirthDate}>
        <Picker mode='date' value={values.childBirthDate || today()} start={earliest} end={today()} onChange={(e) => change('childBirthDate', String(e.detail.value))}>
          <View className='form-input child-birth' id='child-birth' ariaRole='button'>
            <Text>{values.childBirthDate ? dayjs(values.childBirthDate).format('YYYY年M月D日') : '点这里选择出生日期'}</Text>
          </View>
        </Picker>
      </FormField>
      <FormField id='child-relation' label='这个孩子是您的' error={errors.relation}>
        <ChoiceChips idPrefix='child-relation' label='孩子与您的关系' options={RELATION_CHOICES} value={values.relation} onChange={(value: Relation) => change('relation', value)} />
      </FormField>
      <FormField id='child-phone' label='您的手机号码' error={errors.phone}>
        <Input
          id='child-phone'
          className='form-input'
          type='number'
          value={values.phone}
          placeholder='11 位手机号码，用来接收验证码'
          maxlength={11}
          onInput={(e) => change('phone', e.detail.value)}
        />
      </FormField>
      <FormBanner id='child-banner' message={banner} />
      <Button ariaRole='button' className='btn btn-primary' id='child-submit' {...disabledButton(saving)} onClick={() => void save()}>
        {saving ? '请稍等…' : '下一步：验证手机号'}
      </Button>
    </View>
  )
}
