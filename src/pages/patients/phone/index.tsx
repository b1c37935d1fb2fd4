// 修改手机号: the card's owner types the new number (checked by the add form's rule), gets a code on that new
// phone, types it, and the card shows the new number, masked. The phone on record is how family prove they may
// join the card, so the change needs the same SMS proof; the other managers are told on the card's detail page.
import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import { validateMobile } from '@domain/phone'
import { FormBanner, FormField } from '../../../components/FormField'
import { PageShell } from '../../../components/PageShell'
import { useSecondsLeft } from '../../../hooks/useSecondsLeft'
import { isApiError } from '../../../services/api'
import { sendPhoneChangeCode, verifyPhoneChange, type PatientCard, type SentProofCode } from '../../../services/patients'
import { disabledButton } from '../../../utils/buttonState'
import { errorMessage } from '../../../utils/errorMessage'
import { goBackOr } from '../../../utils/navigation'
import { patientDetailUrl } from '../../../routes'
import './index.scss'

export default function ChangePhonePage() {
  const { params } = useRouter()
  const patientId = params.id ?? ''
  const [phone, setPhone] = useState('')
  const [phoneError, setPhoneError] = useState<string>()
  const [sent, setSent] = useState<SentProofCode>()
  const [resendAt, setResendAt] = useState<number | null>(null)
  const [code, setCode] = useState('')
  const [banner, setBanner] = useState<string>()
  const [busy, setBusy] = useState<'send' | 'verify'>()
  const [done, setDone] = useState<PatientCard>()
  const secondsLeft = useSecondsLeft(resendAt)

  const run = async (what: 'send' | 'verify', action: () => Promise<void>) => {
    setBanner(undefined)
    setBusy(what)
    try {
      await action()
    } catch (e) {
      const field = isApiError(e) ? e.fields?.find((one) => one.path === 'phone') : undefined
      if (field) setPhoneError(field.message)
      else setBanner(isApiError(e) ? (e.fields?.[0]?.message ?? e.message) : errorMessage(e))
    } finally {
      setBusy(undefined)
    }
  }

  const send = () =>
    run('send', async () => {
      const checked = validateMobile(phone)
      if (!checked.ok) {
        setPhoneError(checked.message)
        return
      }
      const answer = await sendPhoneChangeCode(patientId, checked.value)
      setSent(answer)
      setResendAt(Date.now() + answer.resendAfterSeconds * 1000)
    })

  const verify = () =>
    run('verify', async () => {
      // Not greyed out before the code is asked for (a grey button is hard to read): it says what to do first.
      if (!sent) throw new Error('请先点“获取验证码”，收到短信后再输入验证码。')
      if (!/^\d{6}$/.test(code)) throw new Error('验证码是 6 位数字，请核对后再输入。')
      setDone(await verifyPhoneChange(sent.proofId, code))
    })

  if (done) {
    return (
      <PageShell>
        <View className='card' id='phone-done'>
          <Text className='title'>手机号已经改好了</Text>
          <Text className='notice-text phone-step'>
            {done.name}现在登记的手机号是 {done.phoneMasked}。以后家人加入这张就诊卡时，验证码会发到这个新号码；一起管理的家人也会在就诊人详情里看到这次修改。
          </Text>
        </View>
        <Button ariaRole='button' className='btn btn-primary' id='phone-back' onClick={() => void goBackOr(patientDetailUrl(done.id))}>
          返回就诊人详情
        </Button>
      </PageShell>
    )
  }

  return (
    <PageShell>
      <Text className='notice-text phone-step' id='phone-intro'>
        请填写新的手机号码。我们会给新号码发一条 6 位验证码，输入后就改好了。手机号是家人加入这张就诊卡时验证身份用的，所以要先确认新号码在您手上。
      </Text>
      <View className='card'>
        <FormField id='phone-new' label='新的手机号码' error={phoneError}>
          <Input
            id='phone-new'
            className='form-input'
            type='number'
            value={phone}
            placeholder='11 位手机号码，用来接收验证码'
            maxlength={11}
            onInput={(e) => {
              setPhone(e.detail.value)
              setPhoneError(undefined)
            }}
            onBlur={() => {
              const checked = validateMobile(phone)
              setPhoneError(phone && !checked.ok ? checked.message : undefined)
            }}
          />
        </FormField>
        <Text className='caption phone-step'>点“获取验证码”，短信会发到新号码，一般 1 分钟内收到。没收到的话，请核对号码后再点“重新获取”。</Text>
        <Button ariaRole='button' className='btn btn-secondary phone-send' id='phone-send' {...disabledButton(busy === 'send' || secondsLeft > 0)} onClick={() => void send()}>
          {secondsLeft > 0 ? `重新获取（${secondsLeft} 秒）` : sent ? '重新获取验证码' : '获取验证码'}
        </Button>
        {sent && <Text className='caption phone-step' id='phone-sent'>验证码已发到 {sent.phoneMasked}，5 分钟内有效。</Text>}
        <FormField id='phone-code' label='短信验证码'>
          <Input
            id='phone-code'
            className='form-input phone-code'
            type='number'
            value={code}
            placeholder='6 位数字'
            maxlength={6}
            onInput={(e) => {
              setCode(e.detail.value.replace(/\D/g, ''))
              setBanner(undefined)
            }}
          />
        </FormField>
        <FormBanner id='phone-banner' message={banner} />
        <Button ariaRole='button' className='btn btn-primary' id='phone-submit' {...disabledButton(busy === 'verify')} onClick={() => void verify()}>
          {busy === 'verify' ? '正在修改…' : '确认修改'}
        </Button>
      </View>
    </PageShell>
  )
}
