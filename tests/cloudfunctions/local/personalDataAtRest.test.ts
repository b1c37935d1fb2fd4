/**
 * After a patient journey through the real local host, no ID or phone number appears in plaintext
 * in any file under DATA_DIR (store journal, keys, HIS stand-in state) or in the host's log output.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bindOnHost } from '../../support/hostApi';
import { PEOPLE } from '../../support/patients';
import { tempDir } from '../../support/runtime';
import { startHostProcess } from '../../support/startProcess';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

describe('personal data at rest and in logs', () => {
  it('keeps ID and phone numbers out of the data folder and the log', async () => {
    const dataDir = tempDir();
    const secrets = Object.values(PEOPLE).flatMap((person) => [person.idNumber, person.phone]);
    const badChecksumId = '110105197803150017';
    try {
      const host = await startHostProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'debug' });
      const call = async (openid: string, body: Record<string, unknown>) => {
        const response = await fetch(`${host.url}/api/patient`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-dev-openid': openid },
          body: JSON.stringify(body),
        });
        return (await response.json()) as { ok: boolean; data: Record<string, unknown>; code?: string };
      };
      for (const openid of ['demo-family', 'demo-patient', 'demo-admin']) {
        await fetch(`${host.url}/api/user`, { method: 'POST', headers: { 'x-dev-openid': openid }, body: '{"action":"login"}' });
      }
      const own = await bindOnHost(host.url, 'demo-family', { ...PEOPLE.son, relation: 'self' });
      const mother = await bindOnHost(host.url, 'demo-family', { ...PEOPLE.grandmother, relation: 'parent' });
      expect(own.ok && mother.ok).toBe(true);
      const motherId = mother.data!.patient.id;
      const { code } = (await call('demo-family', { action: 'invite', patientId: motherId })).data as { code: string };
      expect((await call('demo-patient', { action: 'accept', code, relation: 'self' })).ok).toBe(true);
      const visit = (await call('demo-patient', { action: 'visitCode', patientId: motherId })).data as { code: string };
      expect((await call('demo-admin', { action: 'verifyVisitCode', code: visit.code })).ok).toBe(true);
      // Refusals and HIS trouble are logged too: their payloads must not be.
      expect((await call('demo-patient', { action: 'bind', ...PEOPLE.son, idNumber: badChecksumId, relation: 'self' })).code).toBe('INVALID_PARAMS');
      const hisUrl = /HIS stand-in at (http:\/\/\S+)/.exec(host.output())![1];
      await fetch(`${hisUrl}/__control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"mode":"fail"}' });
      // The HIS is reached only once the phone is proven, and its outage is logged then.
      expect((await bindOnHost(host.url, 'demo-patient', { ...PEOPLE.aunt, relation: 'other' })).code).toBe('HIS_UNAVAILABLE');
      expect(await host.stop()).toBe(0);

      const files = filesUnder(dataDir);
      expect(files.some((file) => file.includes('store'))).toBe(true);
      for (const file of files) {
        const bytes = readFileSync(file);
        for (const secret of [...secrets, badChecksumId]) {
          expect({ file: path.relative(dataDir, file), found: bytes.includes(secret) }).toEqual({ file: path.relative(dataDir, file), found: false });
        }
      }
      const log = host.output();
      expect(log).toMatch(/HIS link failed/);
      for (const secret of [...secrets, badChecksumId]) expect(log).not.toContain(secret);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
