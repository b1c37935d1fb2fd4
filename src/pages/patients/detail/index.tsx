// 就诊人详情: the masked card, default choice, the owner's 修改手机号, the 爽约 record, the visit code, family sharing, and unbinding.
import { useCallback, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { FamilyPanel, pronoun } from '../../../components/FamilyPanel'
import { PageShell } from '../../../components/PageShell'
import { NoShowRecord } from '../../../components/NoShowRecord'
import { PatientSummary } from '../../../components/PatientSummary'
import { VisitCodePanel } from '../../../components/VisitCodePanel'
import { getPatient, setDefaultPatient, unbindPatient, type PatientCard } from '../../../services/patients'
import { usePageData } from '../../../store/usePageData'
import { errorMessage } from '../../../utils/errorMessage'
import { goBackOr } from '../../../utils/navigation'
import { PATIENTS_LIST_PAGE, patientPhoneUrl } from '../../../routes'
import './index.scss'
import { askToConfirm, showNotice } from '../../../components/AppDialog'

function unbindWarning(patient: PatientCard): string {
  const others = (patient.managers ?? []).some((manager) => manager.role === 'manager')
  const rest = others ? '一起管理的家人仍然可以继续使用。' : '以后需要时，可以重新添加。'
  return `解除后，${patient.name}将不再出现在您的就诊人列表里，您也不能再为${pronoun(patient)}挂号。${rest}`
}

export default function PatientDetailPage() {
  const { params } = useRouter()
  const patientId = params.id ?? ''
  const load = useCallback(() => getPatient(patientId), [patientId])
  const { data: patient, error, reload, setData } = usePageData(load)
  const [showCode, setShowCode] = useState(false)
  const [actionError, setActionError] = useState<string>()

  const makeDefault = async (card: PatientCard) => {
    setActionError(undefined)
    try {
      const cards = await setDefaultPatient(card.id)
      const updated = cards.find((entry) => entry.id === card.id)
      setData({ ...card, isDefault: updated?.isDefault ?? true })
      showNotice('已设为默认')
    } catch (e) {
      setActionError(errorMessage(e))
    }
  }

  const unbind = async (card: PatientCard) => {
    const confirm = await askToConfirm({
      title: `解除${card.name}的绑定？`,
      content: unbindWarning(card),
      confirmText: '解除绑定',
      cancelText: '再想想',
    })
    if (!confirm) return
    setActionError(undefined)
    try {
      await unbindPatient(card.id)
      showNotice('已解除')
      await goBackOr(PATIENTS_LIST_PAGE)
    } catch (e) {
      setActionError(errorMessage(e))
    }
  }

  return (
    <PageShell>
      {error && (
        <View className='card'>
          <Text className='notice-text'>{error}</Text>
          <Button ariaRole='button' className='btn btn-primary' onClick={() => void reload()}>
            再试一次
          </Button>
        </View>
      )}
      {!patient && !error && <Text className='caption'>正在加载，请稍等…</Text>}
      {patient && (
        <>
          <View className='card' id='detail-card'>
            <PatientSummary patient={patient} />
            {!patient.isDefault && (
              <Button ariaRole='button' className='btn btn-secondary' id='detail-set-default' onClick={() => void makeDefault(patient)}>
                设为默认就诊人
              </Button>
            )}
            {/* The phone is how family prove they may join: only the owner may change it, with a code to the new phone. */}
            {patient.role === 'owner' && (
              <Button ariaRole='button' className='btn btn-secondary' id='detail-change-phone' onClick={() => void Taro.navigateTo({ url: patientPhoneUrl(patient.id) })}>
                修改手机号
              </Button>
            )}
          </View>

          {patient.notices?.length ? (
            <View className='card detail-notices' id='detail-notices'>
              <Text className='title'>需要您知道的变化</Text>
              {patient.notices.map((notice) => (
                <Text key={notice.id} className='notice-text detail-notice'>
                  {notice.message}
                </Text>
              ))}
            </View>
          ) : null}

          <NoShowRecord patientId={patient.id} />

          <View className='card'>
            <Text className='title'>就诊码</Text>
            <Text className='caption'>到医院后，把就诊码给工作人员扫一下，就能找到{patient.name}的就诊信息。</Text>
            {showCode ? (
              <VisitCodePanel patientId={patient.id} />
            ) : (
              <Button ariaRole='button' className='btn btn-primary' id='detail-show-visit-code' onClick={() => setShowCode(true)}>
                出示就诊码
              </Button>
            )}
          </View>

          <View className='card'>
            <Text className='title'>家人共享</Text>
            <FamilyPanel patient={patient} onChange={setData} />
          </View>

          {actionError && (
            <Text className='detail-error' id='detail-error'>
              {actionError}
            </Text>
          )}
          <Button ariaRole='button' className='btn btn-secondary detail-unbind' id='detail-unbind' onClick={() => void unbind(patient)}>
            解除绑定
          </Button>
        </>
      )}
    </PageShell>
  )
}
