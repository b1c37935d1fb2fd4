/**
 * Decisions and notices use the app's own dialog and toast (src/components/AppDialog), which follow elder
 * mode; Taro's stock showModal/showToast/showActionSheet draw 15 px grey text that elder mode cannot reach.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '../../src');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(path.join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [path.join(dir, entry.name)] : []));

it('no page or component calls a stock dialog, toast or action sheet', () => {
  const calls = sources(root).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) => (/\bTaro\.(showModal|showToast|showActionSheet|showLoading)\s*\(/.test(line) ? [`${path.relative(root, file)}:${index + 1}: ${line.trim()}`] : [])),
  );
  expect(sources(root).length).toBeGreaterThan(50);
  expect(calls).toEqual([]);
});
