// 模拟支付 (H5 build only): the local host's stand-in for WeChat Pay's cashier. 确认支付 makes the
// WeChat Pay stand-in pay and send its signed notification, as the real cashier would; then the
// page waits for the appointment to be booked and opens its slip. No real money moves.
import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { HoldCountdown } from '../../../components/HoldCountdown'
import { PageShell } from '../../../components/PageShell'
import { getAppointment, type Appointment } from '../../../services/booking'
import { sandboxCancel, sandboxPay, waitForPayment } from '../../../services/payment'
import { useUser } from '../../../store/UserContext'
import { disabledButton } from '../../../utils/buttonState'
import { errorMessage } from '../../../utils/errorMessage'
import { goBackOr } from '../../../utils/navigation'
import { formatYuan, orderDescription } from '../../../utils/paymentText'
import { APPOINTMENTS_PAGE, bookingResultUrl } from '../../../routes'
import './index.scss'
import { showNotice } from '../../../components/AppDialog'

type Stage = 'ready' | 'paying' | 'confirming' | 'slow' | 'cancelling' | 'closed'

function Row({ label, value, name }: { label: string; value: string; name: string }) {
  return (
    <View className='cashier-row' data-field={name}>
      <Text className='cashier-label'>{label}</Text>
      <Text className='cashier-value'>{value}</Text>
    </View>
  )
}

export default function CashierPage() {
  const { params } = useRouter()
  const appointmentId = params.id ?? ''
  const outTradeNo = params.no ?? ''
  const amountFen = Number(params.fen ?? '0')
  const { status } = useUser()
  const [appointment, setAppointment] = useState<Appointment>()
  const [stage, setStage] = useState<Stage>('ready')
  const [error, setError] = useState<string>()

  useEffect(() => {
    if (status !== 'ready' || !appointmentId) return
    getAppointment(appointmentId).then(
      (found) => {
        setAppointment(found)
        if (found.status !== 'pending_payment') setStage('closed')
      },
      (e: unknown) => setError(errorMessage(e)),
    )
  }, [status, appointmentId])

  const pay = async () => {
    setStage('paying')
    setError(undefined)
    try {
      await sandboxPay(outTradeNo)
      setStage('confirming')
      const settled = await waitForPayment(appointmentId)
      if (!settled) return setStage('slow')
      await Taro.redirectTo({ url: bookingResultUrl(appointmentId) })
    } catch (e) {
      setError(errorMessage(e))
      setStage('ready')
    }
  }

  const cancel = async () => {
    setStage('cancelling')
    setError(undefined)
    try {
      await sandboxCancel(outTradeNo)
      showNotice('已取消支付，号仍为您保留')
      await goBackOr(bookingResultUrl(appointmentId))
    } catch (e) {
      setError(errorMessage(e))
      setStage('ready')
    }
  }

  const busy = stage === 'paying' || stage === 'confirming' || stage === 'cancelling'
  const expired = () => {
    setStage('closed')
    setError('支付时间已过，号源已经释放，这笔订单不能再支付了。如仍需就诊，请重新预约。')
  }
  return (
    <PageShell>
      <View className='cashier-sandbox' id='cashier-sandbox'>
        <Text className='cashier-sandbox-title'>本地测试收银台</Text>
        <Text className='notice-text'>这是本地体验用的模拟支付，不会扣真实的钱。正式的小程序会打开微信支付。</Text>
      </View>
      <View className='card cashier' id='cashier'>
        <Text className='caption'>支付金额</Text>
        <Text className='cashier-amount' id='cashier-amount'>
          {formatYuan(amountFen)}
        </Text>
        <Row name='merchant' label='商户' value='医约 · 医院挂号（测试）' />
        {appointment && <Row name='description' label='商品' value={orderDescription(appointment.department.name, appointment.doctor.name)} />}
        {appointment && <Row name='patient' label='就诊人' value={appointment.patient.name} />}
        <Row name='order' label='订单号' value={outTradeNo} />
      </View>
      {appointment?.holdExpiresAt && stage !== 'closed' && (
        <View className='cashier-countdown'>
          <HoldCountdown holdExpiresAt={appointment.holdExpiresAt} onExpire={expired} />
        </View>
      )}
      {stage === 'confirming' && <Text className='notice-text cashier-note'>支付成功，正在为您确认挂号，请稍等几秒…</Text>}
      {stage === 'slow' && <Text className='notice-text cashier-note'>支付结果确认中，请稍后在预约记录查看。</Text>}
      {error && <Text className='notice-text cashier-error'>{error}</Text>}
      <View className='cashier-actions'>
        {stage === 'slow' || stage === 'closed' ? (
          <Button ariaRole='button' className='btn btn-primary' id='cashier-records' onClick={() => void Taro.switchTab({ url: APPOINTMENTS_PAGE })}>
            查看预约记录
          </Button>
        ) : (
          <>
            <Button ariaRole='button' className='btn btn-primary cashier-pay' id='cashier-pay' {...disabledButton(busy)} onClick={() => void pay()}>
              {stage === 'ready' || stage === 'cancelling' ? `确认支付 ${formatYuan(amountFen)}` : '正在支付…'}
            </Button>
            <Button ariaRole='button' className='btn btn-secondary' id='cashier-cancel' {...disabledButton(busy)} onClick={() => void cancel()}>
              取消支付
            </Button>
          </>
        )}
      </View>
    </PageShell>
  )
}
