// The 添加就诊人 form's live checks: quiet while a value is on its way, the server's sentence once it is wrong.
import { ID_DOCUMENT_MESSAGES } from '../../../cloudfunctions/shared/domain/idDocument'
import { PERSON_NAME_MESSAGES } from '../../../cloudfunctions/shared/domain/personName'
import { PHONE_MESSAGES } from '../../../cloudfunctions/shared/domain/phone'
import { SCHEMA_MESSAGES } from '../../../cloudfunctions/shared/domain/patientSchemas'
import { liveCheck, placeServerErrors, submitErrors, type PatientFormValues } from '../../../src/utils/patientForm'
import { PEOPLE } from '../../support/patients'

const today = '2026-11-26'
const valid: PatientFormValues = { ...PEOPLE.grandmother, relation: 'self' }
const typing = { today, finished: false }
const left = { today, finished: true }

describe('liveCheck while typing', () => {
  it.each([
    ['name', { name: '' }, {}],
    ['name', { name: '张' }, {}],
    ['name', { name: '阿依古丽·' }, {}],
    ['name', { name: '张3' }, { error: PERSON_NAME_MESSAGES.NAME_DIGITS }],
    ['idNumber', { idNumber: '' }, {}],
    ['idNumber', { idNumber: '11010519' }, { hint: '已填 8 位，还差 10 位' }],
    ['idNumber', { idNumber: '110105194912310021' }, { error: ID_DOCUMENT_MESSAGES.ID_NUMBER_CHECKSUM }],
    ['idNumber', { idNumber: '110105194913310021' }, { error: ID_DOCUMENT_MESSAGES.ID_NUMBER_BIRTH_DATE }],
    ['idNumber', { idNumber: '11010A' }, { error: ID_DOCUMENT_MESSAGES.ID_NUMBER_FORMAT }],
    ['idNumber', { idNumber: '11010519491231002x' }, {}],
    ['idNumber', { idType: 'foreign_permanent_residence', idNumber: 'KAZ1234' }, {}],
    ['idNumber', { idType: 'hmt_residence_permit', idNumber: '110105194912310021' }, { error: ID_DOCUMENT_MESSAGES.ID_NUMBER_PERMIT_REGION }],
    ['phone', { phone: '1381234' }, { hint: '已填 7 位，还差 4 位' }],
    ['phone', { phone: '12812345678' }, { error: PHONE_MESSAGES.PHONE_PREFIX }],
    ['phone', { phone: '138123456789' }, { error: PHONE_MESSAGES.PHONE_LENGTH }],
    ['relation', { relation: '' }, {}],
  ] as const)('%s %j -> %j', (field, change, expected) => {
    expect(liveCheck(field, { ...valid, ...change }, typing)).toEqual(expected)
  })
})

describe('liveCheck once the user left the field', () => {
  it.each([
    ['name', { name: '张' }, PERSON_NAME_MESSAGES.NAME_TOO_SHORT],
    ['name', { name: '' }, PERSON_NAME_MESSAGES.NAME_EMPTY],
    ['idNumber', { idNumber: '11010519' }, ID_DOCUMENT_MESSAGES.ID_NUMBER_FORMAT],
    ['idNumber', { idNumber: '110105491231002' }, ID_DOCUMENT_MESSAGES.ID_NUMBER_OLD_FORMAT],
    ['phone', { phone: '1381234' }, PHONE_MESSAGES.PHONE_LENGTH],
    ['relation', { relation: '' }, SCHEMA_MESSAGES.RELATION_REQUIRED],
  ] as const)('%s %j -> the rule’s sentence', (field, change, message) => {
    expect(liveCheck(field, { ...valid, ...change }, left)).toEqual({ error: message })
  })

  it('says nothing about a valid form', () => {
    for (const field of ['name', 'idType', 'idNumber', 'phone', 'relation'] as const) expect(liveCheck(field, valid, left)).toEqual({})
  })
})

describe('submitErrors', () => {
  it('passes a valid form, spaces and a lower-case x included', () => {
    expect(submitErrors({ ...valid, idNumber: '110105 19491231 002x' }, today)).toEqual({})
  })

  it('names every bad field once, with the same sentences as the bind schema', () => {
    expect(submitErrors({ ...valid, name: '', idNumber: '110105194912310021', phone: '123', relation: '' }, today)).toEqual({
      name: PERSON_NAME_MESSAGES.NAME_EMPTY,
      idNumber: ID_DOCUMENT_MESSAGES.ID_NUMBER_CHECKSUM,
      phone: PHONE_MESSAGES.PHONE_LENGTH,
      relation: SCHEMA_MESSAGES.RELATION_REQUIRED,
    })
  })

  it('refuses a birth date after today', () => {
    expect(submitErrors({ ...valid, idNumber: '110105194912310021' }, '1949-12-30').idNumber).toBe(ID_DOCUMENT_MESSAGES.ID_NUMBER_FUTURE_BIRTH_DATE)
  })
})

describe('placeServerErrors', () => {
  it('puts field errors next to their fields and keeps the rest for the banner', () => {
    expect(
      placeServerErrors([
        { path: 'idNumber', message: 'A', code: 'ID_NUMBER_CHECKSUM' },
        { path: 'idNumber', message: 'B' },
        { path: 'phone', message: 'C' },
        { path: '(payload)', message: 'D' },
      ]),
    ).toEqual({ byField: { idNumber: 'A', phone: 'C' }, other: ['D'] })
  })
})
