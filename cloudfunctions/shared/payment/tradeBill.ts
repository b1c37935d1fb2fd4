// Pure (Y5): parses WeChat Pay's trade bill (交易账单, bill_type ALL). Every field carries a leading
// backtick, amounts are yuan with two decimals, and the file ends with a summary header and row;
// the summary is checked against the rows so a truncated download is refused, not half-reconciled.

export interface BillTrade {
  /** 交易时间, Beijing, 'YYYY-MM-DD HH:mm:ss'. */
  tradeTime: string;
  transactionId: string;
  outTradeNo: string;
  /** SUCCESS for a payment row; REFUND for a refund row. */
  tradeState: string;
  /** 应结订单金额 in fen. */
  settlementFen: number;
  /** 订单金额 in fen. */
  orderFen: number;
  outRefundNo: string;
  /** 退款金额 in fen (refund rows). */
  refundFen: number;
  refundStatus: string;
}

export interface TradeBill {
  trades: BillTrade[];
  summary: { count: number; settlementFen: number; refundFen: number };
}

export class TradeBillError extends Error {}

/** '25.00' -> 2500 without floating point; '-' and '' are 0. */
export function yuanToFen(text: string): number {
  const value = text.trim();
  if (value === '' || value === '-') return 0;
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) throw new TradeBillError(`not an amount in yuan: "${value}"`);
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -fen : fen;
}

const field = (raw: string) => raw.replace(/^`/, '').trim();

export function parseTradeBill(csv: string): TradeBill {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length < 3) throw new TradeBillError('the bill is too short to hold a header and a summary');
  const header = lines[0].split(',').map(field);
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new TradeBillError(`the bill has no column ${name}`);
    return index;
  };
  const at = {
    tradeTime: column('交易时间'),
    transactionId: column('微信订单号'),
    outTradeNo: column('商户订单号'),
    tradeState: column('交易状态'),
    settlement: column('应结订单金额'),
    outRefundNo: column('商户退款单号'),
    refund: column('退款金额'),
    refundStatus: column('退款状态'),
    order: column('订单金额'),
  };
  const summaryAt = lines.findIndex((line) => field(line.split(',')[0]) === '总交易单数');
  if (summaryAt < 1 || summaryAt + 1 >= lines.length) throw new TradeBillError('the bill has no summary: it may be truncated');

  const trades = lines.slice(1, summaryAt).map((line, index) => {
    const cells = line.split(',').map(field);
    if (cells.length < header.length) throw new TradeBillError(`row ${index + 2} has ${cells.length} fields, the header ${header.length}`);
    return {
      tradeTime: cells[at.tradeTime],
      transactionId: cells[at.transactionId],
      outTradeNo: cells[at.outTradeNo],
      tradeState: cells[at.tradeState],
      settlementFen: yuanToFen(cells[at.settlement]),
      orderFen: yuanToFen(cells[at.order]),
      outRefundNo: cells[at.outRefundNo] === '0' ? '' : cells[at.outRefundNo],
      refundFen: yuanToFen(cells[at.refund]),
      refundStatus: cells[at.refundStatus],
    };
  });

  const summaryHeader = lines[summaryAt].split(',').map(field);
  const summaryCells = lines[summaryAt + 1].split(',').map(field);
  const summaryValue = (name: string) => {
    const index = summaryHeader.indexOf(name);
    if (index < 0) throw new TradeBillError(`the summary has no column ${name}`);
    return summaryCells[index];
  };
  const summary = {
    count: Number(summaryValue('总交易单数')),
    settlementFen: yuanToFen(summaryValue('应结订单总金额')),
    refundFen: yuanToFen(summaryValue('退款总金额')),
  };
  const sum = (pick: (trade: BillTrade) => number) => trades.reduce((total, trade) => total + pick(trade), 0);
  if (summary.count !== trades.length || summary.settlementFen !== sum((trade) => trade.settlementFen) || summary.refundFen !== sum((trade) => trade.refundFen)) {
    throw new TradeBillError(`the summary (${summary.count} trades) does not match the ${trades.length} rows: the bill may be damaged`);
  }
  return { trades, summary };
}
