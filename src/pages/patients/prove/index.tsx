// 验证手机号: every card bound by ID number is added here, once the phone typed on the add page is proven (SMS
// code, or WeChat's phone number in the mini program). The page reads the same whether or not the person is known
// here; the masked number shown is the one the user typed. An invite from the family is the other way in.
import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import { ChoiceChips } from '../../../components/ChoiceChips'
import { FormBanner, FormField } from '../../../components/FormField'
import { PageShell } from '../../../components/PageShell'
import { PatientSummary } from '../../../components/PatientSummary'
import { isApiError } from '../../../services/api'
import { formName, proveWithWechatPhone, sendProofCode, verifyProofCode, type PatientCard, type SentProofCode } from '../../../services/patients'
import { clearProofDraft, readProofDraft } from '../../../services/proofDraft'
import { busyButton, disabledButton } from '../../../utils/buttonState'
import { errorMessage } from '../../../utils/errorMessage'
import { useSecondsLeft } from '../../../hooks/useSecondsLeft'
import { goBackOr } from '../../../utils/navigation'
import { PATIENTS_ACCEPT_PAGE, PATIENTS_LIST_PAGE } from '../../../routes'
import './index.scss'

type Who = 'family' | 'self'
const WHO_CHOICES = [
  { value: 'family' as const, label: '我是家人' },
  { value: 'self' as const, label: '我是就诊人本人' },
]

const backToList = async () => {
  // The add page sits between here and the list.
  if (Taro.getCurrentPages().length > 2) await Taro.navigateBack({ delta: 2 })
  else await goBackOr(PATIENTS_LIST_PAGE)
}

export default function ProvePatientPage() {
  const [draft] = useState(readProofDraft)
  const [who, setWho] = useState<Who>(draft?.relation === 'self' ? 'self' : 'family')
  const [sent, setSent] = useState<SentProofCode>()
  const [resendAt, setResendAt] = useState<number | null>(null)
  const [code, setCode] = useState('')
  const [banner, setBanner] = useState<string>()
  const [busy, setBusy] = useState<'send' | 'verify' | 'wechat'>()
  const [done, setDone] = useState<PatientCard>()
  const secondsLeft = useSecondsLeft(resendAt)

  if (!draft) {
    return (
      <PageShell>
        <Text className='notice-text'>请先在“添加就诊人”里填写就诊人的信息。</Text>
        <Button ariaRole='button' className='btn btn-primary' onClick={() => void goBackOr(PATIENTS_LIST_PAGE)}>
          返回
        </Button>
      </PageShell>
    )
  }

  const run = async (what: 'send' | 'verify' | 'wechat', action: () => Promise<void>) => {
    setBanner(undefined)
    setBusy(what)
    try {
      await action()
    } catch (e) {
      setBanner(isApiError(e) ? (e.fields?.[0]?.message ?? e.message) : errorMessage(e))
    } finally {
      setBusy(undefined)
    }
  }

  const joined = (card: PatientCard) => {
    clearProofDraft()
    setDone(card)
  }

  const send = () =>
    run('send', async () => {
      const answer = await sendProofCode(draft)
      setSent(answer)
      setResendAt(Date.now() + answer.resendAfterSeconds * 1000)
    })

  const verify = () =>
    run('verify', async () => {
      if (!sent) return
      if (!/^\d{6}$/.test(code)) throw new Error('验证码是 6 位数字，请核对后再输入。')
      joined(await verifyProofCode(sent.proofId, code, who === 'self'))
    })

  const withWechat = (phoneCode: string | undefined) =>
    run('wechat', async () => {
      if (!phoneCode) throw new Error('没有拿到微信手机号的授权。您可以改用下面的短信验证码。')
      joined(await proveWithWechatPhone(draft, phoneCode, who === 'self'))
    })

  if (done) {
    return (
      <PageShell>
        <View className='card' id='prove-done'>
          <Text className='title'>验证通过，已经加好了</Text>
          <Text className='notice-text'>
            {done.role === 'owner'
              ? `您现在是这张就诊卡的主要管理人，可以帮${done.name}挂号、缴费，也可以在“就诊人详情”里邀请家人一起管理。`
              : `从现在起，您可以帮${done.name}挂号、缴费，也可以出示就诊码。`}
          </Text>
          <PatientSummary patient={done} />
        </View>
        <Button ariaRole='button' className='btn btn-primary' id='prove-to-list' onClick={() => void backToList()}>
          查看我的就诊人
        </Button>
      </PageShell>
    )
  }

  const typedPhone = sent?.phoneMasked ?? draft.phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2')
  const name = formName(draft)
  // A child without an ID is never "本人": the guardian proves their own phone.
  const isChild = draft.idType === 'guardian_child'

  return (
    <PageShell>
      <Text className='notice-text prove-step' id='prove-intro'>
        为保护就诊人的信息，请先验证手机号：我们会给您填写的手机号 {typedPhone} 发一条 6 位验证码，输入后就能添加{name}。不着急，慢慢来。
      </Text>

      <View className='card prove-way' id='prove-phone'>
        <Text className='title'>验证手机号</Text>
        {!isChild && (
          <FormField id='prove-who' label='您是'>
            <ChoiceChips idPrefix='prove-who' label='您是' options={WHO_CHOICES} value={who} onChange={setWho} />
          </FormField>
        )}
        {!isChild && who === 'self' && (
          <Text className='caption prove-step'>验证通过后，您就是这张就诊卡的主要管理人；如果之前有家人添加过您，他们仍可继续帮您挂号，并会收到通知。</Text>
        )}
        {process.env.TARO_ENV === 'weapp' && (
          <Button ariaRole='button'
            className='btn btn-primary'
            id='prove-wechat'
            openType='getPhoneNumber'
            {...busyButton(busy === 'wechat')}
            onGetPhoneNumber={(e) => void withWechat((e.detail as { code?: string }).code)}
          >
            用微信手机号验证
          </Button>
        )}
        <Text className='caption prove-step'>
          点“获取验证码”，短信会发到 {typedPhone}，一般 1 分钟内收到。{isChild ? '' : `如果${name}在医院登记过，请用登记时留的手机号；`}没收到的话，请返回核对手机号，再点“重新获取”。
        </Text>
        <Button ariaRole='button' className='btn btn-secondary prove-send' id='prove-send' {...busyButton(busy === 'send')} {...disabledButton(secondsLeft > 0)} onClick={() => void send()}>
          {secondsLeft > 0 ? `重新获取（${secondsLeft} 秒）` : sent ? '重新获取验证码' : '获取验证码'}
        </Button>
        <FormField id='prove-code' label='短信验证码'>
          <Input
            id='prove-code'
            className='form-input prove-code'
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
        <FormBanner id='prove-banner' message={banner} />
        <Button ariaRole='button' className='btn btn-primary' id='prove-submit' {...busyButton(busy === 'verify')} {...disabledButton(!sent)} onClick={() => void verify()}>
          {busy === 'verify' ? '正在验证…' : '验证并添加'}
        </Button>
      </View>

      <View className='prove-way' id='prove-invite'>
        <Text className='caption prove-step'>如果家人已经绑定过这位就诊人，也可以请家人在“就诊人详情”里点“邀请家人一起管理”，把 8 位邀请码告诉您。</Text>
        <Button ariaRole='button' className='btn btn-secondary' id='prove-go-accept' onClick={() => void Taro.redirectTo({ url: PATIENTS_ACCEPT_PAGE })}>
          我有邀请码
        </Button>
      </View>
    </PageShell>
  )
}
