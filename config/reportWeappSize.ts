// Prints the weapp main package size and fails on WeChat's 2 MB limit or a leftover `process.env`
// (WeChat has no `process`, so any bare reference throws at launch).
// Run: npx tsx config/reportWeappSize.ts [distDir]
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024
const distDir = process.argv[2] ?? join(__dirname, '..', 'dist')

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? listFiles(path) : [path]
  })
}

/** Subpackage roots from app.json; their files do not count towards the main package. */
function subpackageRoots(): string[] {
  const app = JSON.parse(readFileSync(join(distDir, 'app.json'), 'utf8')) as {
    subpackages?: Array<{ root: string }>
    subPackages?: Array<{ root: string }>
  }
  return (app.subpackages ?? app.subPackages ?? []).map((pkg) => pkg.root.replace(/\/?$/, '/'))
}

// Not uploaded to WeChat: the DevTools project file and licence notices.
const notUploaded = (path: string) => path === 'project.config.json' || path.endsWith('.LICENSE.txt')

const roots = subpackageRoots()
const files = listFiles(distDir).map((path) => relative(distDir, path).split('\\').join('/'))
const mainFiles = files.filter((path) => !notUploaded(path) && !roots.some((root) => path.startsWith(root)))
const mainBytes = mainFiles.reduce((sum, path) => sum + statSync(join(distDir, path)).size, 0)
const leaks = files.filter((path) => path.endsWith('.js') && readFileSync(join(distDir, path), 'utf8').includes('process.env'))

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
console.log(`weapp main package: ${kib(mainBytes)} in ${mainFiles.length} files (limit ${kib(MAIN_PACKAGE_LIMIT)})`)
let failed = false
if (mainBytes >= MAIN_PACKAGE_LIMIT) {
  console.error('FAIL: the main package must stay under 2 MB; move pages into subpackages')
  failed = true
}
if (leaks.length > 0) {
  console.error(`FAIL: bare process.env left in ${leaks.join(', ')}; define every TARO_APP_* in .env`)
  failed = true
}
process.exit(failed ? 1 : 0)
