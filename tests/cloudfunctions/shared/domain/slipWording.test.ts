import { comesIn, refundSentence } from '../../../../cloudfunctions/shared/domain/slipWording';

describe('what a slip says per state', () => {
  it.each([
    ['booked', true],
    ['pending_payment', true],
    ['checked_in', true],
    ['completed', false],
    ['no_show', false],
    ['cancelled', false],
    ['expired', false],
    ['failed', false],
    ['holding', false],
  ] as const)('%s: tells the patient to come in = %s', (status, expected) => {
    expect(comesIn(status)).toBe(expected);
  });

  it.each([
    ['cancelled', 'queued', '您已取消预约，挂号费将原路退回。'],
    ['cancelled', 'processing', '您已取消预约，挂号费将原路退回。'],
    ['cancelled', 'succeeded', '您已取消预约，挂号费已原路退回。'],
    ['late_payment', 'succeeded', '支付完成时预约已超过保留时间，号源已释放，挂号费已原路退回，请重新预约。'],
    ['his_refused', 'processing', '医院系统未能确认这次挂号，预约已取消，挂号费将原路退回。给您添麻烦了。'],
    ['reconciliation', 'queued', '对账发现这笔挂号费没有对应的挂号，挂号费将原路退回。'],
    ['reconciliation', 'succeeded', '对账发现这笔挂号费没有对应的挂号，挂号费已原路退回。'],
    ['cancelled', 'failed', '您已取消预约，挂号费的退款遇到了问题，工作人员会尽快与您联系。'],
  ] as const)('refund for %s while %s reads in the right tense', (reason, status, sentence) => {
    expect(refundSentence(reason, status)).toBe(sentence);
  });
});
