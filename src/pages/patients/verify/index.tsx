// 就诊码核验 (staff): scan or paste a patient's visit code and see who it belongs to, masked.
import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import { FormBanner, FormField } from '../../../components/FormField'
import { PageShell } from '../../../components/PageShell'
import { verifyVisitCode, type VerifiedPatient } from '../../../services/patients'
import { useUser } from '../../../store/UserContext'
import { errorMessage } from '../../../utils/errorMessage'
import { formatDateTime } from '../../../utils/formatDateTime'
import { disabledButton } from '../../../utils/buttonState'
import './index.scss'

const SEX_LABELS = { male: '男', female: '女' } as const

function Result({ result }: { result: VerifiedPatient }) {
  const { patient } = result
  return (
    <View className='card verify-result' id='verify-result'>
      <Text className='title'>核验通过</Text>
      <Text className='verify-name' id='verify-name'>
        {patient.nameMasked}
      </Text>
      {patient.sex && <Text className='notice-text'>性别：{SEX_LABELS[patient.sex]}</Text>}
      {patient.birthDate && <Text className='notice-text'>出生日期：{patient.birthDate}</Text>}
      {patient.idNumberMasked && <Text className='notice-text'>证件号码：{patient.idNumberMasked}</Text>}
      <Text className='notice-text'>院内患者号：{patient.hisPatientId}</Text>
      <Text className='caption'>这个就诊码 {formatDateTime(result.expiresAt)} 前有效。请再核对一下患者本人或陪同家属。</Text>
    </View>
  )
}

export default function VerifyVisitCodePage() {
  const { user } = useUser()
  const [code, setCode] = useState('')
  const [result, setResult] = useState<VerifiedPatient>()
  const [error, setError] = useState<string>()
  const [checking, setChecking] = useState(false)

  const verify = async (raw: string) => {
    const text = raw.trim()
    setResult(undefined)
    setError(undefined)
    if (text === '') {
      setError('请先扫描或粘贴患者的就诊码。')
      return
    }
    setChecking(true)
    try {
      setResult(await verifyVisitCode(text))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setChecking(false)
    }
  }

  /** @see https://developers.weixin.qq.com/miniprogram/dev/api/device/scan/wx.scanCode.html */
  const scan = async () => {
    try {
      const scanned = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
      setCode(scanned.result)
      await verify(scanned.result)
    } catch (e) {
      // Closing the camera is a choice, not a failure; anything else gets a word and the paste box.
      const cancelled = /cancel/.test((e as { errMsg?: string } | undefined)?.errMsg ?? '')
      if (!cancelled) setError('没有扫到就诊码，可以再扫一次，或把就诊码粘贴到下面。')
    }
  }

  if (!user?.roles.includes('admin')) {
    return (
      <PageShell>
        <View className='card'>
          <Text className='notice-text'>这个页面仅供医院工作人员使用。如需帮助，请到门诊服务台咨询。</Text>
        </View>
      </PageShell>
    )
  }

  return (
    <PageShell>
      <Text className='caption verify-intro'>请患者打开“就诊人详情 → 出示就诊码”，扫一扫，或把就诊码粘贴进来。</Text>
      {process.env.TARO_ENV === 'weapp' && (
        <Button ariaRole='button' className='btn btn-primary verify-scan' id='verify-scan' onClick={() => void scan()}>
          扫一扫就诊码
        </Button>
      )}
      <FormField id='verify-code' label='就诊码'>
        <Input
          id='verify-code'
          className='form-input'
          value={code}
          placeholder='粘贴就诊码'
          maxlength={200}
          onInput={(e) => setCode(e.detail.value)}
          onConfirm={() => void verify(code)}
        />
      </FormField>
      <FormBanner id='verify-error' message={error} />
      <Button ariaRole='button' className='btn btn-secondary' id='verify-submit' {...disabledButton(checking)} onClick={() => void verify(code)}>
        核验
      </Button>
      {result && <Result result={result} />}
    </PageShell>
  )
}
