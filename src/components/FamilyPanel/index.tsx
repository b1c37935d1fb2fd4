// 家人共享: the owner invites family with a one-time code and removes them; others see who shares.
import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { invitePatientManager, revokePatientManager, type InviteCode, type PatientCard, type PatientManager } from '../../services/patients'
import { busyButton } from '../../utils/buttonState'
import { errorMessage } from '../../utils/errorMessage'
import { formatDate, formatDateTime } from '../../utils/formatDateTime'
import './index.scss'
import { askToConfirm, showNotice } from '../AppDialog'

/** `ABCD EFGH`: two groups of four are easier to read aloud over the phone; spaces are ignored on entry. */
const spaced = (code: string) => code.replace(/(.{4})(?=.)/g, '$1 ')

function InviteBox({ invite }: { invite: InviteCode }) {
  const copy = () => void Taro.setClipboardData({ data: invite.code })
  return (
    <View className='family-invite' id='invite-box'>
      <Text className='caption'>请把这个邀请码告诉家人：</Text>
      <Text className='family-invite-code' id='invite-code' userSelect>
        {spaced(invite.code)}
      </Text>
      <Button ariaRole='button' className='btn btn-secondary' id='invite-copy' onClick={copy}>
        复制邀请码
      </Button>
      <Text className='caption'>
        {formatDateTime(invite.expiresAt)} 前有效（24 小时），只能用一次。家人打开“我的 → 我的就诊人 → 输入家人给的邀请码”，填进去就可以了。
      </Text>
    </View>
  )
}

function ManagerRow({ manager, onRevoke }: { manager: PatientManager; onRevoke: () => void }) {
  return (
    <View className='family-manager' id={`manager-${manager.userId}`}>
      <View className='family-manager-text'>
        <Text className='notice-text family-manager-name'>{manager.name}</Text>
        <Text className='caption'>{formatDate(manager.since)} 起一起管理</Text>
      </View>
      <Button ariaRole='button' className='btn btn-secondary family-revoke' onClick={onRevoke}>
        移除
      </Button>
    </View>
  )
}

/** 他 or 她 where the card records the sex; 他/她 only when it does not. */
export const pronoun = (patient: Pick<PatientCard, 'sex'>) => (patient.sex === 'male' ? '他' : patient.sex === 'female' ? '她' : '他/她')

function ActivityList({ activity }: { activity: NonNullable<PatientCard['activity']> }) {
  if (activity.length === 0) return null
  return (
    <View className='family-activity' id='family-activity'>
      <Text className='notice-text'>最近谁为这位就诊人做了什么：</Text>
      {activity.map((entry, index) => (
        <Text key={`${entry.at}-${index}`} className='caption family-activity-line'>
          {formatDateTime(entry.at)} {entry.who}{entry.what}
        </Text>
      ))}
    </View>
  )
}

interface FamilyPanelProps {
  patient: PatientCard
  onChange: (patient: PatientCard) => void
}

export function FamilyPanel({ patient, onChange }: FamilyPanelProps) {
  const [invite, setInvite] = useState<InviteCode>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  if (patient.role !== 'owner') {
    return (
      <Text className='notice-text'>
        这位就诊人是家人共享给您的，您可以帮{pronoun(patient)}挂号、缴费和取消预约。邀请或移除其他家人，需要由最先添加这位就诊人的家人来操作。
      </Text>
    )
  }

  const createInvite = async () => {
    setBusy(true)
    setError(undefined)
    try {
      setInvite(await invitePatientManager(patient.id))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const revoke = async (manager: PatientManager) => {
    const confirm = await askToConfirm({
      title: '移除这位家人？',
      content: `移除后，${manager.name}将不能再帮${patient.name}挂号、取消预约和查看就诊码。`,
      confirmText: '移除',
      cancelText: '再想想',
    })
    if (!confirm) return
    setError(undefined)
    try {
      onChange(await revokePatientManager(patient.id, manager.userId))
      showNotice('已移除')
    } catch (e) {
      setError(errorMessage(e))
    }
  }

  const family = (patient.managers ?? []).filter((manager) => manager.role === 'manager')
  return (
    <View className='family'>
      <Text className='notice-text'>邀请家人后，家人也能帮{patient.name}挂号、缴费和取消预约。</Text>
      {family.length === 0 && <Text className='caption'>目前只有您在管理这位就诊人。</Text>}
      {family.map((manager) => (
        <ManagerRow key={manager.userId} manager={manager} onRevoke={() => void revoke(manager)} />
      ))}
      {invite && <InviteBox invite={invite} />}
      <ActivityList activity={patient.activity ?? []} />
      {error && (
        <Text className='family-error' id='family-error'>
          {error}
        </Text>
      )}
      <Button ariaRole='button' className='btn btn-secondary' id='detail-invite' {...busyButton(busy)} onClick={() => void createInvite()}>
        {invite ? '再生成一个邀请码' : '邀请家人一起管理'}
      </Button>
    </View>
  )
}
