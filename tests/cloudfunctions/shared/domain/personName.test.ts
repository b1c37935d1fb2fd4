import { validatePersonName } from '../../../../cloudfunctions/shared/domain/personName';

describe('validatePersonName: accepted and normalised', () => {
  it.each([
    ['a two-character name', '王磊', '王磊'],
    ['a three-character name', '张秀英', '张秀英'],
    ['a compound surname', '欧阳娜娜', '欧阳娜娜'],
    ['spaces trimmed and removed inside', '  张 秀英 ', '张秀英'],
    ['an ideographic space', '张\u3000秀英', '张秀英'],
    ['a minority name with the standard dot', '阿依古丽·买买提', '阿依古丽·买买提'],
    ['bullet • normalised', '阿依古丽•买买提', '阿依古丽·买买提'],
    ['full-width ． normalised', '阿依古丽．买买提', '阿依古丽·买买提'],
    ['katakana ・ normalised', '阿依古丽・买买提', '阿依古丽·买买提'],
    ['ASCII . normalised', '阿依古丽.买买提', '阿依古丽·买买提'],
    ['IME full stop 。 normalised', '阿依古丽。买买提', '阿依古丽·买买提'],
    ['several dots', '帕尔哈提·吐尔逊·艾力', '帕尔哈提·吐尔逊·艾力'],
    ['a rare character outside the BMP', '王𠇔', '王𠇔'],
    ['〇 in a name', '李〇', '李〇'],
    ['20 characters, the longest', '阿'.repeat(20), '阿'.repeat(20)],
    ['a Latin name', 'John Smith', 'John Smith'],
    ['Latin spacing collapsed', '  John   Smith ', 'John Smith'],
    ['upper case kept as typed', 'JOHN SMITH', 'JOHN SMITH'],
    ['hyphen and apostrophe', "Mary-Jane O'Neil", "Mary-Jane O'Neil"],
    ['curly apostrophe and spaced hyphen normalised', 'Mary - Jane O\u2019Neil', "Mary-Jane O'Neil"],
    ['accented letters', 'José Müller', 'José Müller'],
    ['an initial with a dot', 'J. R. R. Tolkien', 'J. R. R. Tolkien'],
    ['full-width Latin letters folded', 'Ｊｏｈｎ Ｓｍｉｔｈ', 'John Smith'],
    ['60 characters, the longest Latin', 'A'.repeat(60), 'A'.repeat(60)],
  ])('%s', (_why, input, normalised) => {
    expect(validatePersonName(input)).toEqual({ ok: true, value: normalised });
  });
});

describe('validatePersonName: refusals', () => {
  it.each([
    ['empty', '', 'NAME_EMPTY'],
    ['only spaces', '   ', 'NAME_EMPTY'],
    ['a single character', '张', 'NAME_TOO_SHORT'],
    ['a single Latin letter', 'J', 'NAME_TOO_SHORT'],
    ['21 characters', '阿'.repeat(21), 'NAME_TOO_LONG'],
    ['61 Latin characters', 'A'.repeat(61), 'NAME_TOO_LONG'],
    ['digits', '张三1', 'NAME_DIGITS'],
    ['full-width digits', '张三１', 'NAME_DIGITS'],
    ['digits in a Latin name', 'John Smith 2', 'NAME_DIGITS'],
    ['emoji', '张三😀', 'NAME_INVALID_CHARS'],
    ['emoji alone', '😀😀', 'NAME_INVALID_CHARS'],
    ['mixed scripts', '张John', 'NAME_MIXED_SCRIPT'],
    ['Cyrillic letters', 'Иван Петров', 'NAME_INVALID_CHARS'],
    ['a comma', '张,三', 'NAME_INVALID_CHARS'],
    ['a dot at the start', '·买买提', 'NAME_DOT_POSITION'],
    ['a dot at the end', '买买提·', 'NAME_DOT_POSITION'],
    ['two dots in a row', '阿依古丽··买买提', 'NAME_DOT_POSITION'],
    ['two variant dots in a row', '阿依古丽•．买买提', 'NAME_DOT_POSITION'],
    ['Latin starting with a hyphen', '-John', 'NAME_PUNCTUATION'],
    ['Latin ending with an apostrophe', "John O'", 'NAME_PUNCTUATION'],
    ['double hyphen', 'Mary--Jane', 'NAME_PUNCTUATION'],
  ])('%s -> %s', (_why, input, code) => {
    expect(validatePersonName(input)).toMatchObject({ ok: false, code });
  });

  it('tells the user what to do, in Chinese', () => {
    expect(validatePersonName('张')).toEqual({
      ok: false,
      code: 'NAME_TOO_SHORT',
      message: '姓名至少要有2个字，请按证件上的姓名填写完整。',
    });
  });
});
