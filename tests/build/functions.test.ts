import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildFunctions, listFunctions } from '../../config/buildFunctions';
import { callAs, dataOf, tempDir } from '../support/runtime';

const OUT = path.resolve(__dirname, '../../build/cloudfunctions');
/** Bundling every function is CPU-bound: generous on a loaded 2-core machine, never a measure of speed. */
const BUILD_TIMEOUT_MS = 180_000;

describe('npm run build:functions', () => {
  beforeAll(async () => {
    await buildFunctions(OUT);
  }, BUILD_TIMEOUT_MS);

  it('leaves the embedded store out of deployed bundles, and says so if one is opened without MONGODB_URI', () => {
    for (const name of listFunctions()) {
      const bundle = readFileSync(path.join(OUT, name, 'index.js'), 'utf8');
      expect(bundle).not.toMatch(/mingo/);
      expect(bundle).toContain('The embedded store is not part of deployed bundles: set MONGODB_URI.');
    }
  });

  it('writes an uploadable folder per function: index.js, package.json, config.json', () => {
    expect(listFunctions()).toContain('user');
    for (const name of listFunctions()) {
      const dir = path.join(OUT, name);
      for (const file of ['index.js', 'package.json', 'config.json']) expect(existsSync(path.join(dir, file))).toBe(true);
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      expect(pkg.main).toBe('index.js');
      expect(Object.keys(pkg.dependencies).sort()).toEqual(['mongodb', 'wx-server-sdk']);
      const bundle = readFileSync(path.join(dir, 'index.js'), 'utf8');
      // Shared code travels inside each bundle; nothing refers back to the source tree.
      expect(bundle).not.toMatch(/require\("\.\.\/shared/);
    }
  });

  it('runs the bundled user function: a login through the deployed code', async () => {
    // The bundle opens its own runtime from the environment, as it would in the cloud; with no MongoDB
    // here, this build keeps the embedded store in its place.
    // Inside the repository, so the bundle finds mongodb and wx-server-sdk in node_modules as the cloud installs them.
    const localOut = path.resolve(__dirname, '../../build/cloudfunctions-local');
    await buildFunctions(localOut, { withEmbeddedStore: true });
    const dataDir = tempDir();
    const previous = { DATA_DIR: process.env.DATA_DIR, LOG_LEVEL: process.env.LOG_LEVEL };
    process.env.DATA_DIR = dataDir;
    process.env.LOG_LEVEL = 'silent';
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the built CommonJS bundle is the point
      const bundled = require(path.join(localOut, 'user', 'index.js')) as { main: Parameters<typeof callAs>[0] };
      const first = dataOf<{ user: { id: string } }>(await callAs(bundled.main, 'bundle-user', { action: 'login' }));
      const second = dataOf<{ user: { id: string } }>(await callAs(bundled.main, 'bundle-user', { action: 'login' }));
      expect(second.user.id).toBe(first.user.id);
    } finally {
      for (const [key, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(localOut, { recursive: true, force: true });
    }
  }, BUILD_TIMEOUT_MS);
});
