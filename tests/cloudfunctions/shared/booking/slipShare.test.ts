import { randomBytes } from 'node:crypto';
import { SHARE_GRACE_MS, signSlipShare, verifySlipShare } from '../../../../cloudfunctions/shared/booking/slipShare';
import { signVisitCode, signWindowVisitCode, verifyVisitCode } from '../../../../cloudfunctions/shared/patients/visitCode';

const key = randomBytes(32);
const appointmentId = 'a'.repeat(24);
const windowEnd = new Date('2026-12-03T01:30:00Z');

describe('slip share tokens', () => {
  it('open until an hour after the visit window, then say expired', () => {
    const { token, expiresAt } = signSlipShare(key, appointmentId, windowEnd);
    expect(expiresAt.getTime()).toBe(windowEnd.getTime() + SHARE_GRACE_MS);
    expect(verifySlipShare(key, token, new Date('2026-11-30T00:00:00Z'))).toEqual({ ok: true, appointmentId, expiresAt });
    expect(verifySlipShare(key, token, new Date(expiresAt.getTime() - 1000)).ok).toBe(true);
    expect(verifySlipShare(key, token, expiresAt)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse a token pointed at another appointment, a stretched expiry, another key or a visit code', () => {
    const { token } = signSlipShare(key, appointmentId, windowEnd);
    const [prefix, , expires, signature] = token.split('.');
    const now = new Date('2026-12-01T00:00:00Z');
    expect(verifySlipShare(key, [prefix, 'b'.repeat(24), expires, signature].join('.'), now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifySlipShare(key, [prefix, appointmentId, String(Number(expires) + 86_400), signature].join('.'), now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifySlipShare(randomBytes(32), token, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifySlipShare(key, signVisitCode(key, appointmentId, now).code, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifySlipShare(key, '', now)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('window visit codes on a shared slip', () => {
  it('stay valid through the window, not just 5 minutes, and cannot pose as the other kind', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const until = new Date('2026-12-03T02:30:00Z');
    const { code } = signWindowVisitCode(key, appointmentId, until);
    expect(verifyVisitCode(key, code, now)).toEqual({ ok: true, patientId: appointmentId, expiresAt: until });
    expect(verifyVisitCode(key, code, until)).toEqual({ ok: false, reason: 'expired' });
    // The same signature under the 5-minute prefix is refused.
    expect(verifyVisitCode(key, code.replace(/^YY2/, 'YY1'), now)).toEqual({ ok: false, reason: 'invalid' });
    // Further ahead than any booking horizon: refused.
    expect(verifyVisitCode(key, signWindowVisitCode(key, appointmentId, new Date('2027-06-01T00:00:00Z')).code, now)).toEqual({ ok: false, reason: 'invalid' });
  });
});
