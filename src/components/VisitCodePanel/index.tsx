// 就诊码: a signed code as a QR image, renewed shortly before its 5 minutes run out, with a countdown.
import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidHide, useDidShow } from '@tarojs/taro'
import { Button, Image, Text, View } from '@tarojs/components'
import { fetchVisitCode } from '../../services/patients'
import { errorMessage } from '../../utils/errorMessage'
import { qrDataUrl } from '../../utils/qrDataUrl'
import { formatCountdown, VISIT_CODE_REFRESH_BEFORE_MS, visitCodeDeadline } from '../../utils/visitCodeTimer'
import './index.scss'

interface ShownCode {
  value: string
  image: string
  /** On this device's clock. */
  deadline: number
}

export function VisitCodePanel({ patientId }: { patientId: string }) {
  const [code, setCode] = useState<ShownCode>()
  const [error, setError] = useState<string>()
  const [now, setNow] = useState(() => Date.now())
  const [visible, setVisible] = useState(true)
  // Read by the ticking timer, which outlives any one render.
  const fetching = useRef(false)
  const deadline = useRef(0)
  const failed = useRef(false)

  const refresh = useCallback(async () => {
    if (fetching.current) return
    fetching.current = true
    try {
      const visit = await fetchVisitCode(patientId)
      const receivedAt = Date.now()
      deadline.current = visitCodeDeadline(visit.expiresAt, receivedAt)
      failed.current = false
      setCode({ value: visit.code, image: qrDataUrl(visit.code), deadline: deadline.current })
      setNow(receivedAt)
      setError(undefined)
    } catch (e) {
      // Stop renewing on our own; the 换一张 button tries again when the user is ready.
      failed.current = true
      setError(errorMessage(e))
    } finally {
      fetching.current = false
    }
  }, [patientId])

  // No ticking and no renewals while another page covers this one.
  useDidShow(() => setVisible(true))
  useDidHide(() => setVisible(false))
  useEffect(() => {
    if (!visible) return
    const tick = () => {
      const at = Date.now()
      setNow(at)
      if (!failed.current && deadline.current - at <= VISIT_CODE_REFRESH_BEFORE_MS) void refresh()
    }
    // The first tick at once (the first code, or catching up after the page was covered), then every second.
    const first = setTimeout(tick, 0)
    const timer = setInterval(tick, 1000)
    return () => {
      clearTimeout(first)
      clearInterval(timer)
    }
  }, [visible, refresh])

  const left = code ? code.deadline - now : 0

  const copy = () => {
    if (code) void Taro.setClipboardData({ data: code.value })
  }

  return (
    <View className='visit-code' id='visit-code'>
      {code && (
        <>
          <Image id='visit-code-qr' className='visit-code-qr' src={code.image} mode='aspectFit' ariaLabel='就诊码二维码' nativeProps={{ alt: '就诊码二维码' }} />
          <Text className='visit-code-countdown' id='visit-code-countdown'>
            {left > 0 ? `还可以用 ${formatCountdown(left)}` : '正在换一张新的…'}
          </Text>
          <Text className='caption'>快到时间时会自动换一张新的，不用您操作。</Text>
          {/* The code as text: staff can paste it when a scanner is not at hand. */}
          <Text className='visit-code-raw' id='visit-code-raw' userSelect>
            {code.value}
          </Text>
        </>
      )}
      {!code && !error && <Text className='caption'>正在生成就诊码，请稍等…</Text>}
      {error && (
        <Text className='visit-code-error' id='visit-code-error'>
          {error}
        </Text>
      )}
      <View className='visit-code-actions'>
        <Button ariaRole='button' className='btn btn-secondary' id='visit-code-refresh' onClick={() => void refresh()}>
          换一张
        </Button>
        {code && (
          <Button ariaRole='button' className='btn btn-secondary' id='visit-code-copy' onClick={copy}>
            复制码
          </Button>
        )}
      </View>
    </View>
  )
}
