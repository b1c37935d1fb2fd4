import { maskIdNumber, maskName, maskPhone } from '../../../../cloudfunctions/shared/domain/mask';

describe('maskIdNumber', () => {
  it.each([
    ['11010519491231002X', '1101**********002X'],
    ['810000199408230021', '8100**********0021'],
    ['911398199012310021', '9113**********0021'],
    ['KAZ110090123105', 'KAZ*********105'],
    ['12345678', '12****78'],
    ['1234', '1**4'],
    ['12', '**'],
    ['', ''],
  ])('%s -> %s', (input, masked) => {
    expect(maskIdNumber(input)).toBe(masked);
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['19912345678', '199****5678'],
    ['12345678', '12****78'],
    ['', ''],
  ])('%s -> %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });
});

describe('maskName', () => {
  it.each([
    ['张秀英', '张*英'],
    ['王磊', '王*'],
    ['欧阳娜娜', '欧**娜'],
    ['阿依古丽·买买提', '阿***·**提'],
    ['王𠇔', '王*'],
    ['张', '*'],
    ['John Smith', 'J*** S****'],
    ["Mary-Jane O'Neil", "M***-J*** O'N***"],
    ['José', 'J***'],
    ['J. Smith', 'J. S****'],
    ['', ''],
  ])('%s -> %s', (input, masked) => {
    expect(maskName(input)).toBe(masked);
  });
});
