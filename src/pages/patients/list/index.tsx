// 我的就诊人: every card this account manages, the default first, and the ways to add one.
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { PatientSummary } from '../../../components/PatientSummary'
import { listPatients, type PatientCard } from '../../../services/patients'
import { usePageData } from '../../../store/usePageData'
import { disabledButton } from '../../../utils/buttonState'
import { PATIENTS_ACCEPT_PAGE, PATIENTS_ADD_PAGE, patientDetailUrl } from '../../../routes'
import './index.scss'

function PatientRow({ patient }: { patient: PatientCard }) {
  return (
    <View
      className='card patients-row'
      id={`patient-${patient.id}`}
      ariaRole='button'
      onClick={() => Taro.navigateTo({ url: patientDetailUrl(patient.id) })}
    >
      <PatientSummary patient={patient} />
      <Text className='patients-row-more'>查看详情、就诊码 ›</Text>
    </View>
  )
}

function EmptyState() {
  return (
    <View className='card' id='patients-empty'>
      <Text className='title'>还没有就诊人</Text>
      <Text className='notice-text'>
        挂号前需要先添加就诊人。您可以先添加自己，也可以添加爸爸妈妈、孩子等家人，以后帮他们挂号就很方便。
      </Text>
      <Button ariaRole='button' className='btn btn-primary' id='patients-add-first' onClick={() => Taro.navigateTo({ url: PATIENTS_ADD_PAGE })}>
        添加第一位就诊人
      </Button>
    </View>
  )
}

export default function PatientListPage() {
  const { data, error, reload } = usePageData(listPatients)
  const full = data !== undefined && data.patients.length >= data.limit

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
      {!data && !error && <Text className='caption'>正在加载，请稍等…</Text>}
      {data && data.patients.length === 0 && <EmptyState />}
      {data && data.patients.length > 0 && (
        <>
          <Text className='caption patients-count' id='patients-count'>
            已添加 {data.patients.length} 位，一个账号最多 {data.limit} 位。挂号时会先为您选好默认就诊人。
          </Text>
          {data.patients.map((patient) => (
            <PatientRow key={patient.id} patient={patient} />
          ))}
          <Button ariaRole='button'
            className='btn btn-primary'
            id='patients-add'
            {...disabledButton(full)}
            onClick={() => Taro.navigateTo({ url: PATIENTS_ADD_PAGE })}
          >
            添加就诊人
          </Button>
          {full && (
            <Text className='caption patients-full'>
              已经添加满 {data.limit} 位了。如需添加新的，请先在就诊人详情里解除一位不再需要的。
            </Text>
          )}
        </>
      )}
      {data && (
        <Button ariaRole='button'
          className='btn btn-secondary patients-accept'
          id='patients-accept'
          onClick={() => Taro.navigateTo({ url: PATIENTS_ACCEPT_PAGE })}
        >
          输入家人给的邀请码
        </Button>
      )}
    </PageShell>
  )
}
