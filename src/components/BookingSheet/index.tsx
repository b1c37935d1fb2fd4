// 确认预约: the bottom sheet a bookable slot opens. Everything about the visit on one screen, the
// default card already chosen, one big button; every answer (booked, pending, full, refused) is
// definite, and a retry after a lost answer reuses the request id so it can never book twice (B2, B3, X2).
// Cards the hold would refuse (sex, age, quotas, restriction) are greyed out with the reason before the tap.
import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { RELATION_LABELS } from '@domain/patientSchemas'
import type { PatientCards } from '../../hooks/usePatientCards'
import { isApiError, NETWORK_ERROR_MESSAGE } from '../../services/api'
import { preloadPrompts, promptAtTap } from '../../services/messages'
import { fetchCardEligibility, holdSlot, type Alternative, type Appointment, type CardEligibility } from '../../services/booking'
import type { PatientCard } from '../../services/patients'
import { feeText } from '../../utils/fee'
import { disabledButton } from '../../utils/buttonState'
import { newRequestId } from '../../utils/requestId'
import { PATIENTS_ADD_PAGE } from '../../routes'
import './index.scss'

/** The visit the sheet offers, read from the live schedule. */
export interface SheetTarget {
  slotId: string
  doctorName: string
  doctorTitle: string
  departmentName: string
  /** 11月29日 周日 上午 09:00-09:30 */
  when: string
  location: string
  feeFen: number
  /** False once someone else took the last place while the sheet was open. */
  bookable: boolean
}

interface Props {
  target: SheetTarget
  patients: PatientCards
  onClose: () => void
  onBooked: (appointment: Appointment) => void
  onAlternative: (alternative: Alternative) => void
}

type Answer =
  | { kind: 'full'; message: string; alternative: Alternative | null }
  | { kind: 'drawing'; message: string; resultAt: string }
  | { kind: 'refused'; message: string }
  | { kind: 'network'; message: string }

function Row({ label, value, name }: { label: string; value: string; name: string }) {
  return (
    <View className='sheet-row' data-field={name}>
      <Text className='sheet-label'>{label}</Text>
      <Text className='sheet-value'>{value}</Text>
    </View>
  )
}

/** Why the hold would refuse this card for this slot, once the server has said; undefined = can book or not known yet. */
type Refusals = Map<string, string>

function PatientOption({ card, chosen, refusal, onChoose }: { card: PatientCard; chosen: boolean; refusal?: string; onChoose: () => void }) {
  const state = refusal ? `，不能预约这个时段：${refusal}` : chosen ? '，已选' : ''
  return (
    <View
      className={`sheet-patient${chosen ? ' sheet-patient-chosen' : ''}${refusal ? ' sheet-patient-blocked' : ''}`}
      data-patient-id={card.id}
      data-can-book={refusal ? 'no' : 'yes'}
      ariaRole='radio'
      aria-checked={chosen ? 'true' : 'false'}
      aria-disabled={refusal ? 'true' : 'false'}
      ariaLabel={`${card.name}，${RELATION_LABELS[card.relation]}${state}`}
      onClick={refusal ? undefined : onChoose}
    >
      <Text className='sheet-patient-name'>{card.name}</Text>
      <Text className='caption'>
        {RELATION_LABELS[card.relation]}
        {card.isDefault ? ' · 默认' : ''}
        {card.idNumberMasked ? ` · ${card.idNumberMasked}` : ''}
      </Text>
      {chosen && !refusal && <Text className='sheet-patient-mark'>✓ 已选</Text>}
      {refusal && <Text className='notice-text sheet-patient-refusal'>{refusal}</Text>}
    </View>
  )
}

function PatientPicker({ patients, chosen, refusals, onChoose }: { patients: PatientCards; chosen?: PatientCard; refusals: Refusals; onChoose: (card: PatientCard) => void }) {
  const [open, setOpen] = useState(false)
  const { cards, error, reload } = patients
  if (!cards && error) {
    return (
      <View className='sheet-patients'>
        <Text className='notice-text'>就诊人没有读取成功：{error}</Text>
        <Button ariaRole='button' className='btn btn-secondary' onClick={reload}>
          再试一次
        </Button>
      </View>
    )
  }
  if (!cards) return <Text className='caption'>正在读取您的就诊人…</Text>
  if (cards.length === 0) {
    return (
      <View className='sheet-patients' id='sheet-no-patient'>
        <Text className='notice-text'>您还没有添加就诊人。挂号需要实名，请先添加就诊人（您自己或家人都可以），添加好后回到这里就能预约。</Text>
        <Button ariaRole='button' className='btn btn-primary' id='sheet-add-patient' onClick={() => void Taro.navigateTo({ url: PATIENTS_ADD_PAGE })}>
          添加就诊人
        </Button>
      </View>
    )
  }
  const shown = open ? cards : cards.filter((card) => card.id === chosen?.id)
  return (
    <View className='sheet-patients' id='sheet-patients'>
      {shown.map((card) => (
        <PatientOption
          key={card.id}
          card={card}
          chosen={card.id === chosen?.id}
          refusal={refusals.get(card.id)}
          onChoose={() => {
            onChoose(card)
            setOpen(false)
          }}
        />
      ))}
      {!open && cards.length > 1 && (
        <Button ariaRole='button' className='btn btn-secondary' id='sheet-switch-patient' onClick={() => setOpen(true)}>
          换一位就诊人
        </Button>
      )}
    </View>
  )
}

function AnswerBox({ answer, onAlternative }: { answer: Answer; onAlternative: (alternative: Alternative) => void }) {
  const alternative = answer.kind === 'full' ? answer.alternative : null
  return (
    <View className={`sheet-answer sheet-answer-${answer.kind}`} id='booking-answer' data-kind={answer.kind} ariaRole='alert'>
      <Text className='sheet-answer-text'>{answer.message}</Text>
      {alternative && (
        <Button ariaRole='button' className='btn btn-secondary' id='booking-alternative' onClick={() => onAlternative(alternative)}>
          {alternative.sameDoctor ? `改约 ${alternative.when}` : `去看 ${alternative.doctorName} 医生 ${alternative.when}`}
        </Button>
      )}
    </View>
  )
}

/** The server's verdicts for this slot; a failed check shows nothing (the hold still decides and says why). */
function useRefusals(slotId: string, cards: PatientCard[] | undefined): Refusals {
  const [refusals, setRefusals] = useState<Refusals>(new Map())
  useEffect(() => {
    if (!cards?.length) return
    let current = true
    fetchCardEligibility(slotId).then(
      (verdicts: CardEligibility[]) => {
        if (current) setRefusals(new Map(verdicts.flatMap((verdict) => (verdict.canBook ? [] : [[verdict.patientId, verdict.sentence ?? '这位就诊人不能预约这个时段'] as const]))))
      },
      (e: unknown) => console.warn('[booking sheet] eligibility check failed', e),
    )
    return () => {
      current = false
    }
  }, [slotId, cards])
  return refusals
}

export function BookingSheet({ target, patients, onClose, onBooked, onAlternative }: Props) {
  const [chosenId, setChosenId] = useState<string>()
  const [sending, setSending] = useState(false)
  const [answer, setAnswer] = useState<Answer>()
  // One id per sheet and card; kept after a network failure so the retry is the same request.
  const requestId = useRef(newRequestId())
  const cards = patients.cards ?? []
  const refusals = useRefusals(target.slotId, patients.cards)
  // The default card when it can book this slot, else the first that can, else the default (shown with its reason).
  const canBook = (card: PatientCard) => !refusals.has(card.id)
  const preferred = [...cards].sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
  const chosen = cards.find((card) => card.id === chosenId) ?? preferred.find(canBook) ?? preferred[0]
  const chosenRefused = chosen ? refusals.get(chosen.id) : undefined
  const othersCanBook = cards.some((card) => card.id !== chosen?.id && canBook(card))
  // The subscription prompt must open inside the confirm tap, so its template ids are read beforehand.
  useEffect(() => preloadPrompts(), [])

  const choose = (card: PatientCard) => {
    if (card.id === chosen?.id) return
    setChosenId(card.id)
    setAnswer(undefined)
    requestId.current = newRequestId()
  }

  const confirm = async () => {
    if (!chosen || chosenRefused || sending) return
    // Asked in the tap, not awaited: a refused or slow prompt never holds the booking up.
    void promptAtTap('booking')
    setSending(true)
    try {
      const result = await holdSlot({ slotId: target.slotId, patientId: chosen.id, requestId: requestId.current })
      if (result.outcome === 'drawing') {
        // Same request id: sending it again asks for the draw's result.
        setAnswer({ kind: 'drawing', message: result.message, resultAt: result.resultAt })
      } else if (result.outcome === 'full' || result.outcome === 'not_drawn') {
        requestId.current = newRequestId()
        setAnswer({ kind: 'full', message: result.message, alternative: result.alternative })
      } else {
        onBooked(result.appointment)
      }
    } catch (e) {
      // A coded refusal is final for this request; only a lost answer keeps the id for the retry.
      if (isApiError(e) && e.code !== 'NETWORK_ERROR') {
        requestId.current = newRequestId()
        setAnswer({ kind: 'refused', message: e.message })
      } else {
        setAnswer({ kind: 'network', message: `${NETWORK_ERROR_MESSAGE}。不确定是否约上时，请直接点“再试一次”，不会重复挂号。` })
      }
    } finally {
      setSending(false)
    }
  }

  // Release by draw: ask again when the result is due (the phone's clock may differ a little; bounded), then every 2 s.
  const drawingAt = answer?.kind === 'drawing' ? answer.resultAt : null
  useEffect(() => {
    if (!drawingAt || sending) return
    const timer = setTimeout(() => void confirm(), Math.min(Math.max(Date.parse(drawingAt) - Date.now(), 2000), 62_000))
    return () => clearTimeout(timer)
  })

  const label = sending ? '正在预约…' : answer?.kind === 'drawing' ? '查看抽签结果' : answer?.kind === 'network' ? '再试一次' : '确认预约'
  return (
    <View className='sheet-layer'>
      <View className='sheet-mask' onClick={onClose} />
      <View className='sheet' id='booking-sheet' ariaRole='dialog' ariaLabel='确认预约'>
        <View className='sheet-head'>
          <Text className='title'>确认预约</Text>
          <View className='sheet-close' id='booking-sheet-close' ariaRole='button' ariaLabel='关闭' onClick={onClose}>
            <Text>关闭</Text>
          </View>
        </View>
        <Row name='doctor' label='医生' value={`${target.doctorName} ${target.doctorTitle} · ${target.departmentName}`} />
        <Row name='when' label='时间' value={target.when} />
        <Row name='location' label='地点' value={target.location} />
        <Row name='fee' label='费用' value={feeText(target.feeFen)} />
        <Text className='sheet-section'>就诊人</Text>
        <PatientPicker patients={patients} chosen={chosen} refusals={refusals} onChoose={choose} />
        {chosenRefused && (
          <Text className='caption' id='sheet-refused-hint'>
            {othersCanBook ? '这位就诊人不能预约这个时段，请点“换一位就诊人”。' : '您的就诊人都不能预约这个时段，请看看其他科室或医生。'}
          </Text>
        )}
        {!target.bookable && !answer && <Text className='caption'>这个时段的号刚刚被约完了，您仍可以点确认，我们会告诉您最近还有号的时间。</Text>}
        {answer && <AnswerBox answer={answer} onAlternative={onAlternative} />}
        {target.feeFen > 0 && <Text className='caption'>确认后号会先为您保留，请在页面提示的时间内支付，超时号源会自动释放。</Text>}
        <Button ariaRole='button' className='btn btn-primary sheet-confirm' id='booking-confirm' {...disabledButton(!chosen || Boolean(chosenRefused) || sending)} onClick={() => void confirm()}>
          {label}
        </Button>
      </View>
    </View>
  )
}
