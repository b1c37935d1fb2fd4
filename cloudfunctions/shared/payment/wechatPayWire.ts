// Shapes of WeChat Pay v3 answers and notifications as the client reads them (unknown fields are ignored, as WeChat adds fields).
import { z } from 'zod';
import { parseWeChatTime } from './wechatPay';

const zFen = z.number().int().nonnegative();

export const zPrepayAnswer = z.object({ prepay_id: z.string().min(1).max(128) });

export const zOrderAnswer = z.object({
  out_trade_no: z.string(),
  mchid: z.string(),
  trade_state: z.enum(['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR']),
  transaction_id: z.string().optional(),
  amount: z.object({ total: zFen.optional(), payer_total: zFen.optional() }).optional(),
  payer: z.object({ openid: z.string().optional() }).optional(),
  success_time: z
    .string()
    .optional()
    .transform((text, context) => {
      if (!text) return undefined;
      try {
        return parseWeChatTime(text);
      } catch {
        context.addIssue({ code: 'custom', message: 'success_time is not RFC 3339' });
        return z.NEVER;
      }
    }),
});

export const zRefundAnswer = z.object({
  refund_id: z.string().min(1),
  status: z.enum(['SUCCESS', 'PROCESSING', 'ABNORMAL', 'CLOSED']),
});

export const zBillRequest = z.object({
  download_url: z.url(),
  hash_type: z.literal('SHA1'),
  hash_value: z.string().regex(/^[0-9A-Fa-f]{40}$/),
});

export const zNotificationHeaders = z.object({
  'wechatpay-timestamp': z.string().regex(/^\d{1,12}$/),
  'wechatpay-nonce': z.string().min(1).max(64),
  'wechatpay-signature': z.string().min(1).max(2048),
  'wechatpay-serial': z.string().min(1).max(128),
});

export const zNotification = z.object({
  id: z.string().min(1),
  event_type: z.string().min(1),
  resource_type: z.string().optional(),
  resource: z.object({
    algorithm: z.string(),
    ciphertext: z.string().min(1),
    associated_data: z.string().optional(),
    nonce: z.string().min(1),
    original_type: z.string().optional(),
  }),
});
