// A doctor's schedule as a grid: one row a day, one cell a period (上午/下午/夜间), each saying what
// can be done there; the selected day opens its time slots right under its row.
import type { PropsWithChildren } from 'react'
import { Button, Text, View } from '@tarojs/components'
import type { Period, ScheduleDay, SchedulePeriod, Slot } from '../../services/catalog'
import { dayOpensAtLabel, periodCell, slotCell } from '../../utils/scheduleCells'
import './index.scss'

const PERIOD_ORDER: Period[] = ['morning', 'afternoon', 'evening']
const PERIOD_LABELS: Record<Period, string> = { morning: '上午', afternoon: '下午', evening: '夜间' }

export interface GridSelection {
  date: string
  period: Period
}

/** Only the periods the doctor works in at all, so an empty 夜间 column does not crowd the grid. */
export function gridColumns(days: ScheduleDay[]): Period[] {
  const worked = new Set(days.flatMap((day) => day.periods.map((period) => period.period)))
  return PERIOD_ORDER.filter((period) => worked.has(period))
}

interface GridProps {
  days: ScheduleDay[]
  selected?: GridSelection
  onSelect: (selection: GridSelection) => void
}

export function ScheduleGrid({ days, selected, onSelect, children }: PropsWithChildren<GridProps>) {
  const columns = gridColumns(days)
  return (
    <View className='grid' id='schedule-grid'>
      <View className='grid-line grid-head'>
        <Text className='grid-date grid-head-text'>日期</Text>
        {columns.map((period) => (
          <Text key={period} className='grid-cell-slot grid-head-text'>
            {PERIOD_LABELS[period]}
          </Text>
        ))}
      </View>
      {days.map((day) => {
        const [monthDay, weekday] = day.label.split(' ')
        const opensAt = dayOpensAtLabel(day)
        return (
          <View key={day.date} className='grid-row' data-date={day.date} id={`day-${day.date}`}>
            <View className='grid-line'>
              <View className='grid-date'>
                <Text className='grid-date-day'>{monthDay}</Text>
                <Text className='caption'>{weekday}</Text>
              </View>
              {columns.map((period) => (
                <GridCell
                  key={period}
                  day={day}
                  period={period}
                  session={day.periods.find((entry) => entry.period === period)}
                  rowHasLabel={opensAt !== null}
                  selected={selected?.date === day.date && selected.period === period}
                  onSelect={onSelect}
                />
              ))}
            </View>
            {opensAt && <Text className='grid-release'>{opensAt}，到时再来看看</Text>}
            {selected?.date === day.date && children}
          </View>
        )
      })}
    </View>
  )
}

interface CellProps {
  day: ScheduleDay
  period: Period
  session?: SchedulePeriod
  rowHasLabel: boolean
  selected: boolean
  onSelect: (selection: GridSelection) => void
}

function GridCell({ day, period, session, rowHasLabel, selected, onSelect }: CellProps) {
  const state = periodCell(session)
  const tappable = state.kind !== 'none'
  return (
    <View className='grid-cell-slot'>
      <View
        className={`grid-cell grid-cell-${state.kind}${selected ? ' grid-cell-selected' : ''}`}
        id={`cell-${day.date}-${period}`}
        data-date={day.date}
        data-period={period}
        data-kind={state.kind}
        ariaRole={tappable ? 'button' : undefined}
        // The name starts with the day and half-day (shown only in the grid's headers) and holds the cell's own words.
        ariaLabel={[`${day.label} ${PERIOD_LABELS[period]}`, state.kind === 'none' ? '不出诊' : state.text, rowHasLabel ? '' : state.opensAtLabel]
          .filter(Boolean)
          .join('，')}
        aria-pressed={tappable ? (selected ? 'true' : 'false') : undefined}
        onClick={tappable ? () => onSelect({ date: day.date, period }) : undefined}
      >
        <Text className='grid-cell-text'>{state.text}</Text>
        {state.opensAtLabel && !rowHasLabel && <Text className='grid-cell-note'>{state.opensAtLabel}</Text>}
      </View>
    </View>
  )
}

interface PanelProps {
  day: ScheduleDay
  session: SchedulePeriod
  locationName?: string
  selectedSlotId?: string
  onSelectSlot: (slot: Slot) => void
}

/** The time slots of one session; tapping a bookable one chooses it (the doctor page opens the confirm sheet). */
export function SlotPanel({ day, session, locationName, selectedSlotId, onSelectSlot }: PanelProps) {
  const stopped = session.status === 'stopped'
  const state = periodCell(session)
  const chosen = session.slots.find((slot) => slot.id === selectedSlotId)
  return (
    <View className='slot-panel' id='slot-panel' data-date={day.date} data-period={session.period}>
      <Text className='title'>
        {day.label} {session.label}
      </Text>
      {locationName && <Text className='caption'>就诊地点：{locationName}</Text>}
      {stopped && <Text className='notice-text'>医生这个时段停诊了，请您换一个时间。已经预约的患者会收到通知。</Text>}
      {state.kind === 'soon' && (
        <Text className='notice-text'>这个时段的号还没有放出：{state.opensAtLabel}，到时再来看看。</Text>
      )}
      {state.kind === 'full' && <Text className='notice-text'>这个时段的号已经约满了，可以看看其他日子。</Text>}
      {state.kind === 'closed' && <Text className='notice-text'>这个时段已经停止预约了，请选其他时间。</Text>}
      {!stopped &&
        session.slots.map((slot) => {
          const slotState = slotCell(slot, stopped)
          const isChosen = slot.id === selectedSlotId
          return (
            <View
              key={slot.id}
              className={`slot-item slot-item-${slotState.kind}${isChosen ? ' slot-item-selected' : ''}`}
              data-slot-id={slot.id}
              ariaRole={slot.bookable ? 'button' : undefined}
              aria-pressed={slot.bookable ? (isChosen ? 'true' : 'false') : undefined}
              onClick={slot.bookable ? () => onSelectSlot(slot) : undefined}
            >
              <Text className='slot-window'>
                {slot.window}
                {slot.extra ? '（加号）' : ''}
              </Text>
              <Text className='slot-state'>{isChosen ? `已选 · ${slotState.text}` : slotState.text}</Text>
            </View>
          )
        })}
      {chosen && <ChosenNote day={day} session={session} slot={chosen} onBook={() => onSelectSlot(chosen)} />}
    </View>
  )
}

interface ChosenNoteProps {
  day: ScheduleDay
  session: SchedulePeriod
  slot: Slot
  onBook: () => void
}

/** Under a chosen slot once the confirm sheet is closed: the choice stays, one tap brings the sheet back. */
function ChosenNote({ day, session, slot, onBook }: ChosenNoteProps) {
  // The counts keep refreshing: the place the patient chose may be taken while they look at it.
  if (!slot.bookable) {
    return <Text className='notice-text slot-note' id='slot-note'>您选的 {slot.window} 刚刚约满了，请换一个时间。</Text>
  }
  return (
    <View className='slot-note' id='slot-note'>
      <Text className='notice-text'>
        您选的是 {day.label} {session.label} {slot.window}。
      </Text>
      <Button ariaRole='button' className='btn btn-primary' id='slot-book' onClick={onBook}>
        预约这个时段
      </Button>
    </View>
  )
}
