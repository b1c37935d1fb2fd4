/** WeChat's phone-number check over HTTPS against the stand-in: stable token, one-time codes, errcodes mapped. */
import { createHttpWxPhoneClient, parseWxApiConfig } from '../../../../cloudfunctions/shared/wxPhone/httpWxPhone';
import { startTestWxPhone, type TestWxPhone } from '../../../support/phoneProof';

describe('WeChat phone-number check (HTTPS adapter against the stand-in)', () => {
  let wx: TestWxPhone;
  beforeAll(async () => {
    wx = await startTestWxPhone();
  });
  afterAll(() => wx.standIn.close());

  it('exchanges a button code for the phone WeChat verified, once', async () => {
    const code = wx.standIn.issueCode('13812345678');
    await expect(wx.client.getPhoneNumber(code)).resolves.toEqual({ phoneNumber: '13812345678', purePhoneNumber: '13812345678', countryCode: '86' });
    await expect(wx.client.getPhoneNumber(code)).rejects.toMatchObject({ name: 'WxPhoneError', kind: 'refused', errcode: 40029 });
  });

  it('issues codes through the control route as the button would', async () => {
    const response = await fetch(`${wx.standIn.url}/__control/code`, { method: 'POST', body: JSON.stringify({ phone: '13900001111' }) });
    const { code } = (await response.json()) as { code: string };
    await expect(wx.client.getPhoneNumber(code)).resolves.toMatchObject({ purePhoneNumber: '13900001111' });
    const fromPage = await fetch(`${wx.standIn.url}/__control/code`, { method: 'POST', headers: { origin: 'http://evil.example' }, body: JSON.stringify({ phone: '13900001111' }) });
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull();
    expect(await fromPage.json()).toMatchObject({ errcode: 48001 });
  });

  it('treats a wrong AppSecret as unavailable, never as the person’s fault', async () => {
    const wrong = createHttpWxPhoneClient(parseWxApiConfig({ ...wx.standIn.env, WX_APPSECRET: 'x'.repeat(32) })!);
    await expect(wrong.getPhoneNumber(wx.standIn.issueCode('13812345678'))).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('reads WX_* settings: none means not configured, half means an error', () => {
    expect(parseWxApiConfig({})).toBeNull();
    expect(() => parseWxApiConfig({ WX_APPID: 'wx0123456789abcdef' })).toThrow('Invalid configuration: WX_APPSECRET is required');
  });
});
