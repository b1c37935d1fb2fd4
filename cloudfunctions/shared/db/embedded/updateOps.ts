// The update operators themselves, each editing a Draft and reporting whether it changed anything.
import { Timestamp } from 'mongodb';
import { Draft, getChild, removeChild, setChild } from './draft';
import { serverError } from './errors';
import { compareValues, renderValue, strictEquals, typeName, type Doc } from './values';

export interface UpdateStep {
  op: string;
  field: string;
  path: string[];
  /** Already validated and privately copied at compile time. */
  arg: unknown;
  /** $rename's destination. */
  target?: string[];
  /** $pull's element predicate. */
  predicate?: (element: unknown) => boolean;
  /** $push's modifiers. */
  push?: { each: unknown[]; position?: number; slice?: number; sort?: (a: unknown, b: unknown) => number };
}

type Apply = (draft: Draft, step: UpdateStep, base: Doc) => boolean;

const last = (path: string[]) => path[path.length - 1];

function assign(draft: Draft, step: UpdateStep, value: unknown): boolean {
  const parent = draft.parent(step.path, true)!;
  const old = getChild(parent, last(step.path));
  if (old !== undefined && strictEquals(old, value)) return false;
  setChild(parent, last(step.path), value, step.path);
  return true;
}

function numeric(draft: Draft, step: UpdateStep, base: Doc, combine: (old: number, arg: number) => number, missing: number): boolean {
  const parent = draft.parent(step.path, true)!;
  const old = getChild(parent, last(step.path));
  if (old === undefined) {
    setChild(parent, last(step.path), missing, step.path);
    return true;
  }
  if (typeof old !== 'number') {
    throw serverError(
      'TypeMismatch',
      `Cannot apply ${step.op} to a value of non-numeric type. {_id: ${renderValue(base._id)}} has the field '${last(step.path)}' of non-numeric type ${typeName(old)}`,
    );
  }
  const next = combine(old, step.arg as number);
  if (Object.is(next, old)) return false;
  setChild(parent, last(step.path), next, step.path);
  return true;
}

function existingArray(draft: Draft, step: UpdateStep, base: Doc, create: boolean): { parent: ReturnType<Draft['parent']>; old: unknown[] | undefined } {
  const parent = draft.parent(step.path, create);
  const old = parent === undefined ? undefined : getChild(parent, last(step.path));
  if (old !== undefined && !Array.isArray(old)) {
    throw serverError(
      'BadValue',
      step.op === '$pull' || step.op === '$pullAll' || step.op === '$pop'
        ? `Cannot apply ${step.op} to a non-array value`
        : `The field '${step.field}' must be an array but is of type ${typeName(old)} in document {_id: ${renderValue(base._id)}}`,
    );
  }
  return { parent, old };
}

function replaceArray(step: UpdateStep, parent: ReturnType<Draft['parent']>, old: unknown[] | undefined, next: unknown[]): boolean {
  if (old !== undefined && strictEquals(old, next)) return false;
  setChild(parent!, last(step.path), next, step.path);
  return true;
}

export const APPLY: Record<string, Apply> = {
  $set: (draft, step) => assign(draft, step, step.arg),
  $setOnInsert: (draft, step) => assign(draft, step, step.arg),
  $unset: (draft, step) => {
    const parent = draft.parent(step.path, false);
    return parent !== undefined && removeChild(parent, last(step.path));
  },
  $inc: (draft, step, base) => numeric(draft, step, base, (old, arg) => old + arg, step.arg as number),
  $mul: (draft, step, base) => numeric(draft, step, base, (old, arg) => old * arg, 0),
  $min: (draft, step) => {
    const parent = draft.parent(step.path, true)!;
    const old = getChild(parent, last(step.path));
    if (old !== undefined && compareValues(step.arg, old) >= 0) return false;
    setChild(parent, last(step.path), step.arg, step.path);
    return true;
  },
  $max: (draft, step) => {
    const parent = draft.parent(step.path, true)!;
    const old = getChild(parent, last(step.path));
    if (old !== undefined && compareValues(step.arg, old) <= 0) return false;
    setChild(parent, last(step.path), step.arg, step.path);
    return true;
  },
  $currentDate: (draft, step) => {
    const now = new Date();
    const value = step.arg === 'timestamp' ? new Timestamp({ t: Math.floor(now.getTime() / 1000), i: 1 }) : now;
    return assign(draft, step, value);
  },
  $rename: (draft, step) => {
    const source = draft.parent(step.path, false);
    if (source === undefined) return false;
    if (Array.isArray(source)) throw serverError('BadValue', `The source field for $rename may not be an array element: '${step.field}'`);
    const value = getChild(source, last(step.path));
    if (value === undefined) return false;
    removeChild(source, last(step.path));
    const target = draft.parent(step.target!, true)!;
    if (Array.isArray(target)) throw serverError('BadValue', `The destination field for $rename may not be an array element: '${step.target!.join('.')}'`);
    setChild(target, last(step.target!), value, step.target!);
    return true;
  },
  $push: (draft, step, base) => {
    const { parent, old } = existingArray(draft, step, base, true);
    const { each, position, slice, sort } = step.push!;
    let next = old ? old.slice() : [];
    if (position === undefined) next.push(...each);
    else {
      const at = position < 0 ? Math.max(0, next.length + position) : Math.min(position, next.length);
      next.splice(at, 0, ...each);
    }
    if (sort) next.sort(sort);
    if (slice !== undefined) next = slice >= 0 ? next.slice(0, slice) : next.slice(slice);
    return replaceArray(step, parent, old, next);
  },
  $addToSet: (draft, step, base) => {
    const { parent, old } = existingArray(draft, step, base, true);
    const next = old ? old.slice() : [];
    for (const item of step.push!.each) if (!next.some((element) => strictEquals(element, item))) next.push(item);
    return replaceArray(step, parent, old, next);
  },
  $pull: (draft, step, base) => {
    const { parent, old } = existingArray(draft, step, base, false);
    if (!old) return false;
    return replaceArray(step, parent, old, old.filter((element) => !step.predicate!(element)));
  },
  $pullAll: (draft, step, base) => {
    const { parent, old } = existingArray(draft, step, base, false);
    if (!old) return false;
    const values = step.arg as unknown[];
    return replaceArray(step, parent, old, old.filter((element) => !values.some((value) => strictEquals(element, value))));
  },
  $pop: (draft, step, base) => {
    const { parent, old } = existingArray(draft, step, base, false);
    if (!old || old.length === 0) return false;
    return replaceArray(step, parent, old, step.arg === 1 ? old.slice(0, -1) : old.slice(1));
  },
};
