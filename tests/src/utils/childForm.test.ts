// The child-without-ID form is checked with the server's own schema: what is missing or wrong is named per field.
import { checkChildForm, EMPTY_CHILD_FORM } from '../../../src/utils/childForm'

const TODAY = '2026-12-01'
const FILLED = { childName: '王小宝', childSex: 'male', childBirthDate: '2024-05-01', phone: '13812345678', relation: 'other' } as const

describe('checkChildForm', () => {
  it('names every missing choice and field of an empty form', () => {
    const { form, errors } = checkChildForm(EMPTY_CHILD_FORM, TODAY, 14)
    expect(form).toBeUndefined()
    expect(Object.keys(errors).sort()).toEqual(['childBirthDate', 'childName', 'childSex', 'phone', 'relation'])
    expect(errors.childSex).toContain('性别')
  })

  it.each([
    ['the day before the 14th birthday', '2012-12-02', true],
    ['on the 14th birthday', '2012-12-01', false],
    ['born today', TODAY, true],
    ['born tomorrow', '2026-12-02', false],
  ])('birth date %s', (_label, childBirthDate, ok) => {
    const { form, errors } = checkChildForm({ ...FILLED, childBirthDate }, TODAY, 14)
    expect(Boolean(form)).toBe(ok)
    if (!ok) expect(Object.keys(errors)).toEqual(['childBirthDate'])
  })

  it('refuses 本人 and 配偶 as a child’s relation, and hands over the form as the server takes it', () => {
    expect(checkChildForm({ ...FILLED, relation: 'self' }, TODAY, 14).errors.relation).toContain('子女')
    expect(checkChildForm({ ...FILLED, relation: 'spouse' }, TODAY, 14).errors.relation).toContain('子女')
    expect(checkChildForm(FILLED, TODAY, 14).form).toEqual({ idType: 'guardian_child', ...FILLED })
  })
})
