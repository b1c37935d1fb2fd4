// A realistic production environment (real key sizes, a replica-set URI, ten staff openids), for
// measuring what WeChat cloud's 4 KB of environment per function has to hold. No real secret here:
// keys are generated on each run.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const openid = () => `o${randomBytes(21).toString('base64url').slice(0, 27)}`;

function exampleTemplates(): Record<string, unknown> {
  const id = () => randomBytes(32).toString('base64url').slice(0, 43);
  const [confirmed, closing, refund, reminder, change] = [id(), id(), id(), id(), id()];
  const changeKeys = { name1: 'patient', thing2: 'doctor', time3: 'visitTime', phrase4: 'status', thing5: 'tip' };
  const refundKeys = { amount1: 'amount', phrase2: 'status', thing3: 'tip' };
  return {
    booking_confirmed: { id: confirmed, kind: 'once', keys: { name1: 'patient', thing2: 'department', thing3: 'doctor', time4: 'visitTime', thing5: 'place' } },
    payment_closing: { id: closing, kind: 'once', keys: { thing1: 'doctor', time2: 'visitTime', amount3: 'amount', thing4: 'tip' } },
    refund_underway: { id: refund, kind: 'once', keys: refundKeys },
    refund_completed: { id: refund, kind: 'once', keys: refundKeys },
    visit_reminder: { id: reminder, kind: 'long', keys: { name1: 'patient', thing2: 'department', time3: 'visitTime', thing4: 'place', thing5: 'tip' } },
    cancelled: { id: change, kind: 'once', keys: changeKeys },
    proxy_booked: { id: change, kind: 'once', keys: changeKeys },
    proxy_cancelled: { id: change, kind: 'once', keys: changeKeys },
    stop_clinic: { id: change, kind: 'once', keys: changeKeys },
  };
}

export function exampleProductionEnv(): Record<string, string> {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const wechatPay = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // The compact form WXPAY_* keys accept: the PEM's base64 body alone (README "Production checklist").
  const compact = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return {
    NODE_ENV: 'production',
    MONGODB_URI: `mongodb://yiyue_app:${randomBytes(18).toString('base64url')}@10.0.0.12:27017,10.0.0.13:27017,10.0.0.14:27017/yiyue?replicaSet=cmgo-8x2k4q7m_0&authSource=admin`,
    MONGODB_DB: 'yiyue',
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    PII_KEY_ID: 'k2026a',
    ADMIN_OPENIDS: Array.from({ length: 10 }, openid).join(','),
    HOSPITAL_TIMEZONE: 'Asia/Shanghai',
    PATIENT_CARD_LIMIT: '5',
    GUARDIAN_PATH_ALLOWED: 'true',
    PATIENT_BINDS_PER_30_DAYS: '5',
    BOOKING_PEOPLE_PER_DAY: '3',
    PAYMENT_HOLD_MINUTES: '10',
    HIS_BASE_URL: 'https://his-gateway.hospital.example.cn/api/v1',
    HIS_APP_ID: 'yiyue-miniprogram',
    HIS_SECRET: randomBytes(24).toString('base64url'),
    WXPAY_MCHID: '1900012345',
    WXPAY_APPID: 'wx8a7b6c5d4e3f2a1b',
    WXPAY_SERIAL_NO: randomBytes(20).toString('hex').toUpperCase(),
    WXPAY_PRIVATE_KEY: compact(merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    WXPAY_APIV3_KEY: randomBytes(16).toString('hex'),
    WXPAY_PUBLIC_KEY_ID: `PUB_KEY_ID_0119${randomBytes(14).toString('hex').toUpperCase()}`,
    WXPAY_PUBLIC_KEY: compact(wechatPay.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    SMS_SECRET_ID: `AKID${randomBytes(24).toString('base64url').slice(0, 32)}`,
    SMS_SECRET_KEY: randomBytes(24).toString('base64url').slice(0, 32),
    SMS_SDK_APP_ID: '1400787878',
    SMS_SIGN_NAME: '北京某某医院',
    SMS_TEMPLATE_ID: '1823456',
    SMS_REGION: 'ap-guangzhou',
    // Nine events on five templates (43-character ids), as a hospital would configure them.
    MESSAGE_TEMPLATES: JSON.stringify(exampleTemplates()),
    MESSAGE_REMINDER_AT: '18:00',
    PAY_NOTIFY_BASE: 'https://yiyue-prod-7g8h9i0j-1300000000.ap-shanghai.app.tcloudbase.com/payment/notify',
  };
}
