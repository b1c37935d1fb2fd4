// The privacy notice agreed before the first card: recorded per person with its version, asked again when the
// version changes, refused for a stale version or bad input with nothing changed, and limited per account.
import { main } from '../../../cloudfunctions/user';
import { needsPrivacyAgreement, PRIVACY_NOTICE_VERSION } from '../../../cloudfunctions/shared/domain/privacyNotice';
import type { UserProfile } from '../../../cloudfunctions/shared/users/userRepository';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

type UserData = { user: UserProfile };

describe('user.agreePrivacy', () => {
  let runtime: TestRuntime;
  beforeEach(async () => {
    runtime = await openTestRuntime();
    for (const openid of ['mother', 'son']) dataOf(await callAs(main, openid, { action: 'login' }));
  });
  afterEach(() => runtime.dispose());

  const profile = async (openid: string) => dataOf<UserData>(await callAs(main, openid, { action: 'login' })).user;
  const users = () => runtime.db.collection('users').find({}, { projection: { privacy: 1 } }).sort({ _id: 1 }).toArray();

  it('starts unagreed, records the version and time for this person only, and says so at every login', async () => {
    expect((await profile('mother')).privacy).toEqual({ agreedVersion: null, agreedAt: null });
    const agreed = dataOf<UserData>(await callAs(main, 'mother', { action: 'agreePrivacy', version: PRIVACY_NOTICE_VERSION })).user;
    expect(agreed.privacy.agreedVersion).toBe(PRIVACY_NOTICE_VERSION);
    // Stamped with the business clock.
    expect(Math.abs(Date.parse(agreed.privacy.agreedAt!) - runtime.clock.now().getTime())).toBeLessThan(5_000);
    expect((await profile('mother')).privacy.agreedVersion).toBe(PRIVACY_NOTICE_VERSION);
    // The son on another account has not agreed to anything.
    expect((await profile('son')).privacy).toEqual({ agreedVersion: null, agreedAt: null });
    const audit = await runtime.db.collection('audit').find({ action: 'user.privacy.agree' }).toArray();
    expect(audit.map((entry) => [entry.actorUserId.toHexString(), entry.details])).toEqual([[agreed.id, { version: PRIVACY_NOTICE_VERSION }]]);
  });

  it('asks again when the notice changes: an older agreement is not enough, and an older version is refused', async () => {
    expect(needsPrivacyAgreement(null)).toBe(true);
    expect(needsPrivacyAgreement(PRIVACY_NOTICE_VERSION)).toBe(false);
    expect(needsPrivacyAgreement('2020-01-01')).toBe(true);
    const before = await users();
    expect(await callAs(main, 'mother', { action: 'agreePrivacy', version: '2020-01-01' })).toMatchObject({ ok: false, code: 'PRIVACY_NOTICE_CHANGED' });
    expect(await users()).toEqual(before);
  });

  it.each([
    ['no version', {}],
    ['an empty version', { version: '' }],
    ['a number', { version: 20261201 }],
    ['an operator', { version: { $ne: null } }],
    ['a huge string', { version: 'x'.repeat(5000) }],
  ])('refuses %s with INVALID_PARAMS and changes nothing', async (_label, payload) => {
    const before = await users();
    expect(await callAs(main, 'mother', { action: 'agreePrivacy', ...payload })).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(await users()).toEqual(before);
  });

  it('needs a logged-in person, and ignores an openid in the payload', async () => {
    expect(await callAs(main, 'nobody-yet', { action: 'agreePrivacy', version: PRIVACY_NOTICE_VERSION })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    dataOf(await callAs(main, 'son', { action: 'agreePrivacy', version: PRIVACY_NOTICE_VERSION, openid: 'mother' }));
    expect((await profile('mother')).privacy.agreedVersion).toBeNull();
    expect((await profile('son')).privacy.agreedVersion).toBe(PRIVACY_NOTICE_VERSION);
  });

  it('is limited to 10 agreements in 10 minutes per account', async () => {
    for (let i = 0; i < 10; i += 1) dataOf(await callAs(main, 'mother', { action: 'agreePrivacy', version: PRIVACY_NOTICE_VERSION }));
    expect(await callAs(main, 'mother', { action: 'agreePrivacy', version: PRIVACY_NOTICE_VERSION })).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    // Another account is not held back by it.
    dataOf(await callAs(main, 'son', { action: 'agreePrivacy', version: PRIVACY_NOTICE_VERSION }));
  });
});
