/** The access token both WeChat stand-ins hand out and check, as WeChat's stable_token does. */
import { createWxAccessTokens } from '../../../cloudfunctions/local/wxAccessTokenStandIn';

const call = (token: string) => new URL(`http://local/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(token)}`);

describe('WeChat access token stand-in', () => {
  it('issues a token for the right appid and secret that later calls may use', () => {
    const tokens = createWxAccessTokens('wx0123456789abcdef');
    const answer = tokens.issue({ grant_type: 'client_credential', appid: tokens.appid, secret: tokens.secret });
    expect(answer).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    expect(tokens.refusal(call(String(answer.access_token)))).toBeUndefined();
  });

  it('refuses a wrong appid, grant or secret with WeChat’s codes', () => {
    const tokens = createWxAccessTokens();
    expect(tokens.issue({ grant_type: 'client_credential', appid: 'wxother', secret: tokens.secret }).errcode).toBe(40013);
    expect(tokens.issue({ grant_type: 'password', appid: tokens.appid, secret: tokens.secret }).errcode).toBe(40013);
    expect(tokens.issue({ grant_type: 'client_credential', appid: tokens.appid, secret: 'guess' }).errcode).toBe(40125);
    expect(tokens.issue(undefined).errcode).toBe(40013);
  });

  it('answers 40001 to a call without a token, with an unknown one, or with another app’s', () => {
    const tokens = createWxAccessTokens();
    const other = createWxAccessTokens();
    const othersToken = String(other.issue({ grant_type: 'client_credential', appid: other.appid, secret: other.secret }).access_token);
    expect(tokens.refusal(new URL('http://local/cgi-bin/message/subscribe/send'))?.errcode).toBe(40001);
    expect(tokens.refusal(call('made-up'))?.errcode).toBe(40001);
    expect(tokens.refusal(call(othersToken))?.errcode).toBe(40001);
  });
});
