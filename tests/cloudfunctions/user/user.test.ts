import { main as adminMain } from '../../../cloudfunctions/admin';
import { main } from '../../../cloudfunctions/user';
import type { UserProfile } from '../../../cloudfunctions/shared/users/userRepository';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

type LoginData = { user: UserProfile };

describe('user function', () => {
  let runtime: TestRuntime;
  beforeEach(async () => {
    runtime = await openTestRuntime({ adminOpenids: ['staff-1'] });
  });
  afterEach(() => runtime.dispose());

  it('creates a hospital user on first login and returns the same user on the next one', async () => {
    const first = dataOf<LoginData>(await callAs(main, 'patient-a', { action: 'login' }));
    const second = dataOf<LoginData>(await callAs(main, 'patient-a', { action: 'login' }));
    expect(first.user.id).toMatch(/^[0-9a-f]{24}$/);
    expect(second.user.id).toBe(first.user.id);
    expect(first.user.preferences.elderMode).toBeNull();
    expect(first.user.roles).toEqual([]);
    expect(await runtime.db.collection('users').countDocuments()).toBe(1);
  });

  it('gives different people different users', async () => {
    const a = dataOf<LoginData>(await callAs(main, 'patient-a', { action: 'login' }));
    const b = dataOf<LoginData>(await callAs(main, 'patient-b', { action: 'login' }));
    expect(a.user.id).not.toBe(b.user.id);
  });

  it('links the openids of two WeChat apps that share a unionid to one user', async () => {
    const miniProgram = dataOf<LoginData>(await callAs(main, { openid: 'o-mini', appid: 'wx-mini', unionid: 'u-1' }, { action: 'login' }));
    const officialAccount = dataOf<LoginData>(await callAs(main, { openid: 'o-mp', appid: 'wx-mp', unionid: 'u-1' }, { action: 'login' }));
    const otherPerson = dataOf<LoginData>(await callAs(main, { openid: 'o-x', appid: 'wx-mp', unionid: 'u-2' }, { action: 'login' }));
    expect(officialAccount.user.id).toBe(miniProgram.user.id);
    expect(otherPerson.user.id).not.toBe(miniProgram.user.id);
  });

  it('creates exactly one user when the same person logs in many times at once', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => callAs(main, 'patient-race', { action: 'login' })));
    const ids = new Set(results.map((result) => dataOf<LoginData>(result).user.id));
    expect(ids.size).toBe(1);
    expect(await runtime.db.collection('users').countDocuments()).toBe(1);
  });

  it('grants the admin role to configured staff openids', async () => {
    const staff = dataOf<LoginData>(await callAs(main, 'staff-1', { action: 'login' }));
    expect(staff.user.roles).toEqual(['admin']);
  });

  it('takes the admin role away from staff no longer on ADMIN_OPENIDS, at once for admin actions and at the next login', async () => {
    dataOf(await callAs(main, 'staff-1', { action: 'login' }));
    runtime.config.adminOpenids = [];
    expect(await callAs(adminMain, 'staff-1', { action: 'overview' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const again = dataOf<LoginData>(await callAs(main, 'staff-1', { action: 'login' }));
    expect(again.user.roles).toEqual([]);
  });

  it('stores the elder-mode choice and returns it at the next login', async () => {
    dataOf(await callAs(main, 'patient-a', { action: 'login' }));
    const set = dataOf<LoginData>(await callAs(main, 'patient-a', { action: 'setPreferences', elderMode: true }));
    expect(set.user.preferences.elderMode).toBe(true);
    const again = dataOf<LoginData>(await callAs(main, 'patient-a', { action: 'login' }));
    expect(again.user.preferences.elderMode).toBe(true);
    const reset = dataOf<LoginData>(await callAs(main, 'patient-a', { action: 'setPreferences', elderMode: null }));
    expect(reset.user.preferences.elderMode).toBeNull();
  });

  it('refuses preferences from a caller who never logged in, and changes nothing', async () => {
    const result = await callAs(main, 'stranger', { action: 'setPreferences', elderMode: true });
    expect(result).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(await runtime.db.collection('users').countDocuments()).toBe(0);
  });

  it('refuses a call without a platform identity', async () => {
    expect(await callAs(main, null, { action: 'login' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });

  it('ignores identity fields in the payload: identity comes only from the platform', async () => {
    const real = dataOf<LoginData>(await callAs(main, 'patient-a', { action: 'login' }));
    const spoof = dataOf<LoginData>(
      await callAs(main, 'patient-b', { action: 'login', openid: 'patient-a', userInfo: { openId: 'patient-a' } }),
    );
    expect(spoof.user.id).not.toBe(real.user.id);
  });

  it.each([
    [{ action: 'setPreferences', elderMode: 'yes' }, 'INVALID_PARAMS'],
    [{ action: 'setPreferences' }, 'INVALID_PARAMS'],
    [{ action: 'deleteEverything' }, 'UNKNOWN_ACTION'],
    [{ action: 'constructor' }, 'UNKNOWN_ACTION'],
    [{ action: 42 }, 'BAD_REQUEST'],
    [{}, 'BAD_REQUEST'],
    [null, 'BAD_REQUEST'],
    [[1, 2], 'BAD_REQUEST'],
  ])('answers %j with %s in Chinese and a request id', async (event, code) => {
    dataOf(await callAs(main, 'patient-a', { action: 'login' }));
    const before = await runtime.db.collection('users').find().toArray();
    const result = await callAs(main, 'patient-a', event);
    expect(result).toMatchObject({ ok: false, code });
    if (result.ok) return;
    expect(result.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(result)).not.toMatch(/at .+\.ts:\d+/);
    expect(await runtime.db.collection('users').find().toArray()).toEqual(before);
  });

  it('names the field that failed validation', async () => {
    dataOf(await callAs(main, 'patient-a', { action: 'login' }));
    const result = await callAs(main, 'patient-a', { action: 'setPreferences', elderMode: 'yes' });
    expect(result).toMatchObject({ ok: false, fields: [{ path: 'elderMode' }] });
  });
});
