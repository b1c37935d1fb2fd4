import { maskAccount, namesMatter, signsReached, strangerCards, suspicionScore, surnameOf, type HeldCard } from '../../../../cloudfunctions/shared/domain/scriptingSigns';

describe('surnameOf', () => {
  it.each([
    ['张秀英', '张'],
    ['王磊', '王'],
    ['欧阳娜娜', '欧阳'],
    ['司马光', '司马'],
    ['阿依古丽·买买提', '阿依古丽'],
    ['John Smith', 'smith'],
    [' Mary-Jane  O\'Neil ', "o'neil"],
  ])('%s -> %s', (name, surname) => expect(surnameOf(name)).toBe(surname));
});

describe('strangerCards', () => {
  const card = (name: string, relation: HeldCard['relation']): HeldCard => ({ name, relation });
  it.each<[string, HeldCard[], number]>([
    ['a person alone', [card('王建华', 'self')], 0],
    ['a family of five (wife and mother keep their surnames)', [card('王建华', 'self'), card('李桂芳', 'spouse'), card('陈淑珍', 'parent'), card('王老汉', 'parent'), card('王小宝', 'child')], 0],
    ["a child with the mother's surname", [card('王建华', 'self'), card('李桂芳', 'spouse'), card('李小花', 'child')], 0],
    ['a child of another surname with no spouse on the account', [card('王建华', 'self'), card('赵小宝', 'child')], 1],
    ['cards bound as "other"', [card('王建华', 'self'), card('赵德明', 'other'), card('钱桂兰', 'other')], 2],
    ['three "parents" and two "spouses"', [card('王建华', 'self'), card('赵一', 'parent'), card('钱二', 'parent'), card('孙三', 'parent'), card('李四', 'spouse'), card('周五', 'spouse')], 2],
    ['children only, one surname', [card('王小宝', 'child'), card('王小贝', 'child')], 0],
    ['children only, four surnames', [card('王小宝', 'child'), card('王小贝', 'child'), card('赵一', 'child'), card('钱二', 'sibling')], 2],
    ['nobody', [], 0],
  ])('%s: %d', (_label, cards, strangers) => expect(strangerCards(cards)).toBe(strangers));
});

describe('namesMatter', () => {
  const RELATIONS: HeldCard['relation'][] = ['self', 'spouse', 'parent', 'child', 'sibling', 'other'];
  const NAMES = ['王建华', '李桂芳', '赵小宝'];
  /** Every account of up to three cards from these relations and names. */
  const accounts = (size: number): HeldCard[][] =>
    size === 0 ? [[]] : accounts(size - 1).flatMap((rest) => RELATIONS.flatMap((relation) => NAMES.map((name) => [...rest, { name, relation }])));

  it('is false only where the names cannot change the count (checked on every account of up to three cards)', () => {
    const all = [0, 1, 2, 3].flatMap(accounts);
    expect(all.length).toBeGreaterThan(5000);
    for (const cards of all) {
      if (namesMatter(cards.map((card) => card.relation))) continue;
      expect([cards, strangerCards(cards.map((card) => ({ ...card, name: '' })))]).toEqual([cards, strangerCards(cards)]);
    }
  });

  it.each<[string, HeldCard['relation'][], boolean]>([
    ['one card', ['self'], false],
    ['a child alone', ['child'], false],
    ['a family without children', ['self', 'spouse', 'parent', 'other'], false],
    ['a parent and a child', ['self', 'child'], true],
    ['two siblings', ['sibling', 'sibling'], true],
  ])('%s: %s', (_label, relations, matter) => expect(namesMatter(relations)).toBe(matter));
});

describe('suspicionScore and signsReached', () => {
  const none = { early: 0, subSecond: 0, throttled: 0, strangerCards: 0 };
  it.each([
    ['a person', none, 0, []],
    ['a person who tapped a moment early twice and double-tapped four times', { ...none, early: 2, subSecond: 4 }, 0, []],
    ['early three times', { ...none, early: 3 }, 1, ['early']],
    ['refused once by a limit', { ...none, throttled: 1 }, 1, ['throttled']],
    ['a script', { early: 30, subSecond: 50, throttled: 10, strangerCards: 6 }, 10 + 10 + 10 + 2, ['early', 'subSecond', 'throttled', 'strangerCards']],
  ])('%s: %d', (_label, counts, score, signs) => {
    expect(suspicionScore(counts)).toBe(score);
    expect(signsReached(counts)).toEqual(signs);
  });
});

describe('maskAccount', () => {
  it.each([
    ['oAbCdEfGhIjKlMnOpQrStUvWxYz1', `oAbC${'*'.repeat(21)}Yz1`],
    ['scalper-tool', 'scal*****ool'],
    ['short', 's****'],
  ])('%s -> %s', (openid, masked) => expect(maskAccount(openid)).toBe(masked));
});
