// Copy-on-write editing of a stored document: only containers on modified paths are copied, the original stays intact.
import { serverError } from './errors';
import { isPlainObject, renderValue, type Doc } from './values';

export type Container = Doc | unknown[];

const INDEX = /^\d+$/;

export function isIndexSegment(segment: string): boolean {
  return INDEX.test(segment);
}

export function getChild(container: Container, segment: string): unknown {
  if (Array.isArray(container)) return isIndexSegment(segment) ? container[Number(segment)] : undefined;
  return container[segment];
}

/**
 * Stored documents are shared with index buckets and open cursors, so they are never mutated: an update builds a
 * new version that shares every untouched sub-document with the old one.
 */
export class Draft {
  readonly root: Doc;
  private readonly owned = new Set<object>();

  constructor(base: Doc) {
    this.root = { ...base };
    this.owned.add(this.root);
  }

  private own(value: Container): Container {
    if (this.owned.has(value)) return value;
    const copy = Array.isArray(value) ? value.slice() : { ...value };
    this.owned.add(copy);
    return copy;
  }

  /**
   * The container holding the path's last segment, made private to this draft. With `create`, missing levels become
   * empty documents (and a scalar in the way is an error, as in MongoDB); without it, undefined when a level is missing.
   */
  parent(path: string[], create: boolean): Container | undefined {
    let current: Container = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      const segment = path[i];
      const next = getChild(current, segment);
      let child: Container;
      if (next === undefined) {
        if (!create) return undefined;
        child = {};
        this.owned.add(child);
      } else if (isPlainObject(next) || Array.isArray(next)) {
        child = this.own(next);
        if (child === next) {
          current = child;
          continue;
        }
      } else {
        if (!create) return undefined;
        throw serverError(
          'PathNotViable',
          `Cannot create field '${path[i + 1]}' in element {${segment}: ${renderValue(next)}}`,
        );
      }
      setChild(current, segment, child, path);
      current = child;
    }
    return current;
  }
}

export function setChild(container: Container, segment: string, value: unknown, path: string[]): void {
  if (!Array.isArray(container)) {
    container[segment] = value;
    return;
  }
  if (!isIndexSegment(segment)) {
    throw serverError(
      'PathNotViable',
      `Cannot create field '${segment}' in element {${path[0]}: ${renderValue(container)}} (path '${path.join('.')}')`,
    );
  }
  const index = Number(segment);
  while (container.length < index) container.push(null);
  container[index] = value;
}

/** Removes a field; an array element is set to null instead, as MongoDB's $unset does. */
export function removeChild(container: Container, segment: string): boolean {
  if (Array.isArray(container)) {
    if (!isIndexSegment(segment)) return false;
    const index = Number(segment);
    if (index >= container.length || container[index] === null) return false;
    container[index] = null;
    return true;
  }
  if (!Object.prototype.hasOwnProperty.call(container, segment)) return false;
  delete container[segment];
  return true;
}
