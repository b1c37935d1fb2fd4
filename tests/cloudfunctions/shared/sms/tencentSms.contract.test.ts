/**
 * One contract for the Tencent Cloud SMS adapter and its local stand-in: TC3-HMAC-SHA256 as Tencent documents it.
 * The documented example (signature v3 page, "云服务器查询广州区实例列表": SecretId AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE,
 * SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE, timestamp 1551113065) is recomputed here by hand, step by step, and must give
 * Tencent's published intermediate hashes and signature; then a known SendSms request from the adapter must carry
 * the signature computed by hand the same way, and the stand-in must accept exactly that and refuse anything else.
 */
import { createHash, createHmac } from 'node:crypto';
import { startSmsStandIn, type SmsStandIn } from '../../../../cloudfunctions/local/smsStandIn';
import { SmsError } from '../../../../cloudfunctions/shared/sms/sms';
import { tc3Authorization, tc3CanonicalRequest, tc3Signature, tc3StringToSign } from '../../../../cloudfunctions/shared/sms/tc3';
import { createTencentSmsClient, parseSmsConfig } from '../../../../cloudfunctions/shared/sms/tencentSms';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/** The TC3 chain written out from the documentation, independent of cloudfunctions/shared/sms/tc3.ts. */
function signByHand(input: { secretKey: string; service: string; date: string; timestamp: number; host: string; contentType: string; payload: string }) {
  const canonicalRequest = `POST\n/\n\ncontent-type:${input.contentType}\nhost:${input.host}\n\ncontent-type;host\n${sha256(input.payload)}`;
  const stringToSign = `TC3-HMAC-SHA256\n${input.timestamp}\n${input.date}/${input.service}/tc3_request\n${sha256(canonicalRequest)}`;
  const signing = hmac(hmac(hmac(`TC3${input.secretKey}`, input.date), input.service), 'tc3_request');
  return { canonicalRequest, stringToSign, signature: createHmac('sha256', signing).update(stringToSign, 'utf8').digest('hex') };
}

const DOC = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
  service: 'cvm',
  host: 'cvm.tencentcloudapi.com',
  contentType: 'application/json; charset=utf-8',
  timestamp: 1551113065,
  // The body exactly as printed in the documentation (the \u escapes are literal characters of the body).
  payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
};

describe('TC3-HMAC-SHA256: Tencent’s documented example', () => {
  it('gives the published payload hash, canonical request hash and signature, by hand and in our signer', () => {
    const byHand = signByHand({ ...DOC, date: '2019-02-25' });
    expect(sha256(DOC.payload)).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    expect(sha256(byHand.canonicalRequest)).toBe('5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(byHand.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');

    expect(tc3CanonicalRequest(DOC)).toBe(byHand.canonicalRequest);
    expect(tc3StringToSign(DOC)).toBe(byHand.stringToSign);
    expect(tc3Signature(DOC)).toBe(byHand.signature);
    expect(tc3Authorization(DOC)).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('dates the credential scope in UTC (00:44 in Beijing on the 26th is still the 25th)', () => {
    expect(tc3StringToSign(DOC).split('\n')[2]).toBe('2019-02-25/cvm/tc3_request');
  });
});

describe('SendSms: the adapter and the stand-in speak the same protocol', () => {
  // Tencent's example instant, so the request below is fully known.
  const clock = () => new Date(DOC.timestamp * 1000);
  let standIn: SmsStandIn;
  let sent: { url: string; headers: Record<string, string>; body: string }[];

  const recordingFetch: typeof fetch = async (input, init) => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([key, value]) => [key.toLowerCase(), value]));
    sent.push({ url: String(input), headers, body: String(init?.body) });
    return fetch(input, init);
  };

  beforeAll(async () => {
    standIn = await startSmsStandIn({ secretId: DOC.secretId, secretKey: DOC.secretKey, sdkAppId: '1400006666', signName: '医约', templateId: '449739', now: clock });
  });
  afterAll(() => standIn.close());
  beforeEach(() => {
    sent = [];
    standIn.setMode('normal');
  });

  const client = (overrides: Record<string, string> = {}) =>
    createTencentSmsClient(parseSmsConfig({ ...standIn.env, ...overrides })!, { fetch: recordingFetch, now: clock });

  it('signs a known request exactly as computed by hand, and the stand-in accepts it and keeps the code', async () => {
    await client().sendCode({ phone: '13800000000', code: '042517', minutes: 5 });
    const [request] = sent;
    const host = new URL(request.url).host;
    expect(request.body).toBe('{"PhoneNumberSet":["+8613800000000"],"SmsSdkAppId":"1400006666","SignName":"医约","TemplateId":"449739","TemplateParamSet":["042517","5"]}');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-region': 'ap-guangzhou',
      'x-tc-timestamp': '1551113065',
    });
    const byHand = signByHand({ secretKey: DOC.secretKey, service: 'sms', date: '2019-02-25', timestamp: DOC.timestamp, host, contentType: 'application/json; charset=utf-8', payload: request.body });
    expect(request.headers.authorization).toBe(`TC3-HMAC-SHA256 Credential=${DOC.secretId}/2019-02-25/sms/tc3_request, SignedHeaders=content-type;host, Signature=${byHand.signature}`);
    expect(standIn.lastCodeFor('13800000000')).toBe('042517');
  });

  async function rawSend(headers: Record<string, string>, body: string) {
    const response = await fetch(`${standIn.url}/`, { method: 'POST', headers, body });
    return ((await response.json()) as { Response: { Error?: { Code: string } } }).Response;
  }

  it('refuses a body changed after signing, a stale timestamp, and an unknown SecretId', async () => {
    await client().sendCode({ phone: '13800000001', code: '111111', minutes: 5 });
    const [{ headers, body }] = sent;
    const before = standIn.messages().length;
    expect((await rawSend(headers, body.replace('111111', '222222'))).Error?.Code).toBe('AuthFailure.SignatureFailure');
    expect((await rawSend({ ...headers, 'x-tc-timestamp': String(DOC.timestamp - 600) }, body)).Error?.Code).toBe('AuthFailure.SignatureExpire');
    expect((await rawSend({ ...headers, authorization: headers.authorization.replace(DOC.secretId, 'AKIDsomeoneelse') }, body)).Error?.Code).toBe('AuthFailure.SecretIdNotFound');
    expect(standIn.messages().length).toBe(before);
  });

  it('reports a wrong secret key or a provider failure as unavailable, with nothing sent', async () => {
    await expect(client({ SMS_SECRET_KEY: 'not-the-key' }).sendCode({ phone: '13800000002', code: '333333', minutes: 5 })).rejects.toMatchObject({ name: 'SmsError', kind: 'unavailable', providerCode: 'AuthFailure.SignatureFailure' });
    standIn.setMode('fail');
    await expect(client().sendCode({ phone: '13800000002', code: '333333', minutes: 5 })).rejects.toBeInstanceOf(SmsError);
    expect(standIn.lastCodeFor('13800000002')).toBeUndefined();
  });

  it('reads SMS_* settings: none set means unconfigured, some set is an error naming the missing one', () => {
    expect(parseSmsConfig({})).toBeNull();
    expect(() => parseSmsConfig({ SMS_SECRET_ID: 'AKID1' })).toThrow('Invalid configuration: SMS_SECRET_KEY is required');
    expect(() => parseSmsConfig({ ...standIn.env, SMS_SECRET_KEY: 'x', SMS_TEMPLATE_ID: 'abc' })).toThrow(/SMS_TEMPLATE_ID must be the approved template id/);
    expect(parseSmsConfig({ ...standIn.env, SMS_REGION: '', SMS_ENDPOINT: '' })).toMatchObject({ region: 'ap-guangzhou', endpoint: 'https://sms.tencentcloudapi.com' });
  });
});
