import { validateMobile } from '../../../../cloudfunctions/shared/domain/phone';

describe('validateMobile', () => {
  it.each([
    ['plain', '13812345678', '13812345678'],
    ['+86 prefix', '+8613812345678', '13812345678'],
    ['+86 with spaces', '+86 138 1234 5678', '13812345678'],
    ['86 prefix', '8613812345678', '13812345678'],
    ['0086 prefix', '008613812345678', '13812345678'],
    ['dashes', '138-1234-5678', '13812345678'],
    ['brackets around the country code', '(+86) 138 1234 5678', '13812345678'],
    ['full-width digits', '１３８１２３４５６７８', '13812345678'],
    ['surrounding spaces', ' 13812345678 ', '13812345678'],
    ['19x', '19912345678', '19912345678'],
    ['16x', '16612345678', '16612345678'],
  ])('accepts %s', (_why, input, normalised) => {
    expect(validateMobile(input)).toEqual({ ok: true, value: normalised });
  });

  it.each([
    ['empty', '', 'PHONE_EMPTY'],
    ['only spaces and dashes', ' - ', 'PHONE_EMPTY'],
    ['10 digits', '1381234567', 'PHONE_LENGTH'],
    ['12 digits', '138123456789', 'PHONE_LENGTH'],
    ['+86 and 10 digits', '+861381234567', 'PHONE_LENGTH'],
    ['12x', '12812345678', 'PHONE_PREFIX'],
    ['11x', '11812345678', 'PHONE_PREFIX'],
    ['a landline', '01012345678', 'PHONE_PREFIX'],
    ['letters', '1381234567a', 'PHONE_FORMAT'],
    ['another country code', '+4413812345678', 'PHONE_FORMAT'],
  ])('refuses %s -> %s', (_why, input, code) => {
    expect(validateMobile(input)).toMatchObject({ ok: false, code });
  });

  it('explains the rule kindly', () => {
    expect(validateMobile('12812345678')).toMatchObject({ message: '请填写以13到19开头的11位手机号码，暂不支持固定电话。' });
  });
});
