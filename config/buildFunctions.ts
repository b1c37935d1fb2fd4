// `npm run build:functions`: bundle each cloud function with the shared server code into a folder
// WeChat DevTools can upload (index.js, package.json, config.json) under build/cloudfunctions/.
import { build, type Plugin } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'cloudfunctions');

/** Installed by the cloud ("云端安装依赖") rather than bundled: the platform SDK and the driver with its optional natives. */
const EXTERNAL = ['wx-server-sdk', 'mongodb'];

export function listFunctions(): string[] {
  return readdirSync(SOURCE).filter((name) => {
    const dir = path.join(SOURCE, name);
    return statSync(dir).isDirectory() && existsSync(path.join(dir, 'config.json')) && existsSync(path.join(dir, 'index.ts'));
  });
}

/**
 * Deployed functions always use MongoDB (production refuses to start without MONGODB_URI), so the
 * embedded store and its query engine (mingo, ~330 KiB) stay out of the bundle: a smaller bundle
 * loads faster on a cold start. `withEmbeddedStore` keeps it, for running a bundle on this machine.
 */
const withoutEmbeddedStore: Plugin = {
  name: 'without-embedded-store',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/embedded$/ }, (args) =>
      args.importer.endsWith(path.join('shared', 'db', 'connect.ts')) ? { path: 'embedded-store', namespace: 'left-out' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({
      contents: `export function openEmbeddedStore() { throw new Error('The embedded store is not part of deployed bundles: set MONGODB_URI.'); }`,
      loader: 'js',
    }));
  },
};

export interface BuildOptions {
  /** Keep the embedded store in the bundle (local runs of a bundle without MongoDB). */
  withEmbeddedStore?: boolean;
}

export async function buildFunctions(outDir = path.join(ROOT, 'build', 'cloudfunctions'), options: BuildOptions = {}): Promise<string[]> {
  const rootPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const names = listFunctions();
  rmSync(outDir, { recursive: true, force: true });
  for (const name of names) {
    const target = path.join(outDir, name);
    mkdirSync(target, { recursive: true });
    await build({
      entryPoints: [path.join(SOURCE, name, 'index.ts')],
      outfile: path.join(target, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node16',
      format: 'cjs',
      external: EXTERNAL,
      sourcemap: false,
      legalComments: 'none',
      // Smaller bundles start faster on a cold function; names are kept so logged errors stay readable.
      minify: true,
      keepNames: true,
      plugins: options.withEmbeddedStore ? [] : [withoutEmbeddedStore],
      logLevel: 'warning',
    });
    const dependencies = Object.fromEntries(EXTERNAL.map((dep) => [dep, rootPackage.dependencies[dep].replace(/^[\^~]/, '')]));
    writeFileSync(
      path.join(target, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', private: true, main: 'index.js', dependencies }, null, 2) + '\n',
    );
    copyFileSync(path.join(SOURCE, name, 'config.json'), path.join(target, 'config.json'));
  }
  return names;
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  buildFunctions(undefined, { withEmbeddedStore: process.argv.includes('--with-embedded-store') })
    .then((names) => {
      for (const name of names) {
        const size = statSync(path.join(ROOT, 'build', 'cloudfunctions', name, 'index.js')).size;
        console.log(`build/cloudfunctions/${name}/index.js  ${(size / 1024).toFixed(1)} KiB`);
      }
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
