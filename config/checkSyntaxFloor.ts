// The syntax floor of the mini program: every dist/**/*.js must parse as ES5 (README, "Which phones").
// WeChat uploads dist/ as it is (project.config.json: es6 and enhance off), and an old iOS
// JavaScriptCore that meets one newer construct refuses the whole file at launch.
// Run: npx tsx config/checkSyntaxFloor.ts [distDir]
import { parse, type Node } from 'acorn'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

export const SYNTAX_FLOOR = 5

export interface SyntaxViolation {
  file: string
  line: number
  column: number
  construct: string
  excerpt: string
}

// Node types that do not exist in ES5, named the way a reader looks for them in the source.
const NEWER_NODES: Record<string, string> = {
  ArrowFunctionExpression: 'arrow function (ES2015)',
  ClassDeclaration: 'class (ES2015)',
  ClassExpression: 'class (ES2015)',
  TemplateLiteral: 'template literal (ES2015)',
  TaggedTemplateExpression: 'tagged template (ES2015)',
  SpreadElement: 'spread ... (ES2015)',
  RestElement: 'rest parameter/element ... (ES2015)',
  ObjectPattern: 'object destructuring (ES2015)',
  ArrayPattern: 'array destructuring (ES2015)',
  AssignmentPattern: 'default value in a parameter or pattern (ES2015)',
  ForOfStatement: 'for...of (ES2015)',
  MetaProperty: 'new.target / import.meta (ES2015+)',
  YieldExpression: 'generator yield (ES2015)',
  AwaitExpression: 'await (ES2017)',
  ChainExpression: 'optional chaining ?. (ES2020)',
  ImportExpression: 'dynamic import() (ES2020)',
  PropertyDefinition: 'class field (ES2022)',
  PrivateIdentifier: 'private class member # (ES2022)',
  StaticBlock: 'class static block (ES2022)',
  ImportDeclaration: 'import declaration (ES2015 module)',
  ExportNamedDeclaration: 'export declaration (ES2015 module)',
  ExportDefaultDeclaration: 'export declaration (ES2015 module)',
}

type AnyNode = Node & Record<string, unknown>

function describeNewer(node: AnyNode): string | undefined {
  if (NEWER_NODES[node.type]) return NEWER_NODES[node.type]
  if (node.type === 'VariableDeclaration' && node.kind !== 'var') return `${String(node.kind)} declaration (ES2015)`
  if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && node.async) return 'async function (ES2017)'
  if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && node.generator) return 'generator function (ES2015)'
  if (node.type === 'Property' && node.computed) return 'computed property key [k]: (ES2015)'
  if (node.type === 'Property' && node.shorthand) return 'shorthand property { a } (ES2015)'
  if (node.type === 'Property' && node.method) return 'method shorthand { f() {} } (ES2015)'
  if (node.type === 'LogicalExpression' && node.operator === '??') return 'nullish coalescing ?? (ES2020)'
  if (node.type === 'AssignmentExpression' && ['??=', '||=', '&&='].includes(String(node.operator))) return `logical assignment ${String(node.operator)} (ES2021)`
  if ((node.type === 'BinaryExpression' || node.type === 'AssignmentExpression') && String(node.operator).startsWith('**')) return 'exponent operator ** (ES2016)'
  if (node.type === 'CatchClause' && node.param === null) return 'catch without a binding (ES2019)'
  if (node.type === 'Literal' && node.bigint !== undefined) return 'BigInt literal (ES2020)'
  if (node.type === 'Literal' && node.regex) return `regular expression ${String(node.raw).slice(0, 40)} (flags or groups newer than ES5)`
  if (node.type === 'Literal' && typeof node.raw === 'string' && /^0[bBoO]|_/.test(node.raw) && typeof node.value === 'number') return 'binary/octal literal or numeric separator (ES2015+)'
  return undefined
}

/** The innermost non-ES5 construct that covers `pos` (where the ES5 parse gave up). */
function constructAt(source: string, pos: number): string | undefined {
  let program: Node
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true })
  } catch {
    return undefined
  }
  let found: { size: number; name: string } | undefined
  const visit = (node: AnyNode) => {
    if (node.start > pos || node.end < pos) return
    const name = describeNewer(node)
    if (name && (!found || node.end - node.start <= found.size)) found = { size: node.end - node.start, name }
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === 'object' && typeof (child as AnyNode).type === 'string') visit(child as AnyNode)
      }
    }
  }
  visit(program as AnyNode)
  return found?.name
}

/** Parses one script at the floor; undefined when it passes. */
export function checkScript(source: string, file: string): SyntaxViolation | undefined {
  try {
    parse(source, { ecmaVersion: SYNTAX_FLOOR, sourceType: 'script' })
    return undefined
  } catch (error) {
    const { pos, loc, message } = error as SyntaxError & { pos?: number; loc?: { line: number; column: number } }
    const at = pos ?? 0
    return {
      file,
      line: loc?.line ?? 1,
      column: (loc?.column ?? 0) + 1,
      construct: constructAt(source, at) ?? message.replace(/ \(\d+:\d+\)$/, ''),
      excerpt: source.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, ' '),
    }
  }
}

function listScripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return listScripts(path)
    return entry.name.endsWith('.js') ? [path] : []
  })
}

/** Every dist/**\/*.js that does not parse as ES5, with the first offending construct of each. */
export function checkSyntaxFloor(distDir: string): { files: number; violations: SyntaxViolation[] } {
  if (!existsSync(join(distDir, 'app.js'))) {
    throw new Error(`${distDir} has no app.js: run \`npm run build:weapp\` first`)
  }
  const scripts = listScripts(distDir)
  const violations = scripts.flatMap((path) => {
    const violation = checkScript(readFileSync(path, 'utf8'), relative(distDir, path).split('\\').join('/'))
    return violation ? [violation] : []
  })
  return { files: scripts.length, violations }
}

export function formatViolation(v: SyntaxViolation): string {
  return `${v.file}:${v.line}:${v.column} ${v.construct} … ${v.excerpt} …`
}

if (process.argv[1] && resolve(process.argv[1]) === __filename) {
  const distDir = process.argv[2] ?? join(__dirname, '..', 'dist')
  const { files, violations } = checkSyntaxFloor(distDir)
  if (violations.length > 0) {
    console.error(`FAIL: ${violations.length} of ${files} scripts in ${distDir} are newer than ES${SYNTAX_FLOOR}:`)
    for (const violation of violations) console.error(`  ${formatViolation(violation)}`)
    process.exit(1)
  }
  console.log(`syntax floor: all ${files} scripts in ${distDir} parse as ES${SYNTAX_FLOOR}`)
}
