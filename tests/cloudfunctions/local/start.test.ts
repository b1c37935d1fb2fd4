import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../support/runtime';
import { runToExit, spawnStart, startHostProcess } from '../../support/startProcess';

describe('npm start', () => {
  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT .*"eighty"/],
    [{ MONGODB_URI: 'localhost:27017' }, /^Invalid configuration: MONGODB_URI/],
  ])('stops with one clear line and a non-zero code on bad configuration %j', async (env, line) => {
    const { code, stderr, stdout } = await runToExit(spawnStart(env));
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(line);
  });

  it('prints the URL, serves the functions, keeps data across restarts and releases its lock on SIGTERM', async () => {
    const dataDir = tempDir();
    try {
      const login = async (url: string) => {
        const response = await fetch(`${url}/api/user`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-dev-openid': 'demo-patient' },
          body: JSON.stringify({ action: 'login' }),
        });
        return ((await response.json()) as { data: { user: { id: string } } }).data.user.id;
      };
      const first = await startHostProcess({ DATA_DIR: dataDir });
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const id = await login(first.url);
      expect(await first.stop()).toBe(0);

      const second = await startHostProcess({ DATA_DIR: dataDir });
      expect(await login(second.url)).toBe(id);
      expect(second.output()).not.toMatch(/demo-patient/);
      expect(await second.stop()).toBe(0);
      expect(existsSync(path.join(dataDir, 'store', 'LOCK'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
