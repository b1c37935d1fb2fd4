// The template form's arithmetic matches how the slot generator cuts a session.
import { addMinutes, endsAfter, sessionSize } from '../../../../src/admin/utils/sessionTimes'

describe('addMinutes', () => {
  it.each([
    ['11:45', 30, '12:15'],
    ['08:00', 0, '08:00'],
    ['23:50', 20, '00:10'],
    ['00:10', -20, '23:50'],
  ])('%p + %p is %p', (time, minutes, expected) => {
    expect(addMinutes(time, minutes)).toBe(expected)
  })
})

describe('sessionSize', () => {
  const session = { period: 'morning', startTime: '08:00', endTime: '12:00', slotMinutes: 30, placesPerSlot: 5 }

  it('counts windows and places', () => {
    expect(sessionSize(session)).toEqual({ windows: 8, places: 40 })
  })

  it('keeps a shorter last window with its full places', () => {
    expect(sessionSize({ ...session, endTime: '11:45' })).toEqual({ windows: 8, places: 40 })
    expect(sessionSize({ ...session, endTime: '08:10' })).toEqual({ windows: 1, places: 5 })
  })

  it('lets only an evening run past midnight', () => {
    expect(sessionSize({ ...session, period: 'evening', startTime: '22:00', endTime: '01:00' })).toEqual({ windows: 6, places: 30 })
    expect(sessionSize({ ...session, startTime: '12:00', endTime: '08:00' })).toBeUndefined()
    expect(sessionSize({ ...session, period: 'evening', startTime: '18:00', endTime: '18:00' })).toBeUndefined()
  })

  it('says nothing while the form holds something unfinished', () => {
    expect(sessionSize({ ...session, startTime: '8:0' })).toBeUndefined()
    expect(sessionSize({ ...session, slotMinutes: NaN })).toBeUndefined()
    expect(sessionSize({ ...session, placesPerSlot: 0 })).toBeUndefined()
  })
})

describe('endsAfter', () => {
  it.each([
    ['08:00', '08:30', true],
    ['21:00', '21:30', true],
    ['10:30', '10:00', false],
    ['10:00', '10:00', false],
    ['23:30', '00:30', false],
    ['', '10:00', false],
    ['8:00', '09:00', false],
  ])('%p to %p: %p', (start, end, expected) => {
    expect(endsAfter(start, end)).toBe(expected)
  })
})
