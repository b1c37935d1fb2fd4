// Update documents validated and compiled once, then applied copy-on-write; replacements validated the same way.
import { MongoInvalidArgumentError } from 'mongodb';
import { Draft } from './draft';
import { EmbeddedUnsupportedError, immutableIdError, serverError } from './errors';
import { compileFilter } from './matcher';
import { splitPath } from './paths';
import { pushSortComparator } from './sort';
import { APPLY, type UpdateStep } from './updateOps';
import { cloneDoc, cloneValue, isOperatorObject, isPlainObject, renderValue, strictEquals, typeName, type Doc } from './values';

export interface CompiledUpdate {
  steps: UpdateStep[];
}

function checkField(field: string): string[] {
  if (field === '') throw serverError('EmptyFieldName', 'An empty update path is not valid.');
  const path = splitPath(field);
  for (const segment of path) {
    if (segment === '') throw serverError('EmptyFieldName', `The update path '${field}' contains an empty field name, which is not allowed.`);
    if (segment === '$' || segment.startsWith('$[')) throw new EmbeddedUnsupportedError(`positional update paths ('${field}')`);
    if (segment.startsWith('$')) {
      throw serverError('DollarPrefixedFieldName', `The dollar ($) prefixed field '${segment}' in '${field}' is not allowed in the context of an update's replacement document.`);
    }
  }
  return path;
}

function pushModifiers(op: string, field: string, arg: unknown): NonNullable<UpdateStep['push']> {
  if (!isPlainObject(arg) || !('$each' in arg)) {
    if (isOperatorObject(arg)) throw serverError('BadValue', `${op} modifiers on '${field}' need $each`);
    return { each: [cloneValue(arg)] };
  }
  const each = arg.$each;
  if (!Array.isArray(each)) throw serverError('BadValue', `The argument to $each in ${op} must be an array but it was of type: ${typeName(each)}`);
  const modifiers: NonNullable<UpdateStep['push']> = { each: cloneValue(each) as unknown[] };
  for (const key of Object.keys(arg)) {
    const value = arg[key];
    if (key === '$each') continue;
    if (op === '$addToSet') throw serverError('BadValue', `Found unexpected fields after $each in $addToSet: ${renderValue(arg)}`);
    if (key === '$slice' || key === '$position') {
      if (!Number.isInteger(value)) throw serverError('BadValue', `The value for ${key} must be an integer value but was given type: ${typeName(value)}`);
      modifiers[key === '$slice' ? 'slice' : 'position'] = value as number;
    } else if (key === '$sort') modifiers.sort = pushSortComparator(value);
    else throw serverError('BadValue', `Unrecognized clause in $push: ${key}`);
  }
  return modifiers;
}

function pullPredicate(arg: unknown): (element: unknown) => boolean {
  if (isOperatorObject(arg)) {
    const match = compileFilter({ v: arg });
    return (element) => match({ v: element });
  }
  if (isPlainObject(arg)) {
    const match = compileFilter(arg);
    return (element) => isPlainObject(element) && match(element);
  }
  const value = cloneValue(arg);
  return (element) => strictEquals(element, value);
}

function compileStep(op: string, field: string, rawArg: unknown): UpdateStep {
  const step: UpdateStep = { op, field, path: checkField(field), arg: undefined };
  switch (op) {
    case '$inc':
    case '$mul':
      if (typeof rawArg !== 'number') {
        const verb = op === '$inc' ? 'increment' : 'multiply';
        throw serverError('TypeMismatch', `Cannot ${verb} with non-numeric argument: {${field}: ${renderValue(rawArg)}}`);
      }
      step.arg = rawArg;
      break;
    case '$push':
    case '$addToSet':
      step.push = pushModifiers(op, field, rawArg);
      break;
    case '$pull':
      step.predicate = pullPredicate(rawArg);
      break;
    case '$pullAll':
      if (!Array.isArray(rawArg)) throw serverError('BadValue', `$pullAll requires an array argument but was given a ${typeName(rawArg)}`);
      step.arg = cloneValue(rawArg);
      break;
    case '$pop':
      if (rawArg !== 1 && rawArg !== -1) throw serverError('FailedToParse', `$pop expects 1 or -1, found: ${renderValue(rawArg)}`);
      step.arg = rawArg;
      break;
    case '$currentDate': {
      const type = rawArg === true ? 'date' : isPlainObject(rawArg) ? rawArg.$type : undefined;
      if (type !== 'date' && type !== 'timestamp') {
        throw serverError('BadValue', `${renderValue(rawArg)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`);
      }
      step.arg = type;
      break;
    }
    case '$rename':
      if (typeof rawArg !== 'string') throw serverError('BadValue', `The 'to' field for $rename must be a string: ${field}: ${renderValue(rawArg)}`);
      step.target = checkField(rawArg);
      if (rawArg === field) throw serverError('BadValue', `The source and target field for $rename must differ: ${field}: "${rawArg}"`);
      break;
    default:
      step.arg = cloneValue(rawArg);
  }
  return step;
}

function checkConflicts(steps: UpdateStep[]): void {
  const paths: string[] = [];
  for (const step of steps) {
    paths.push(step.field);
    if (step.target) paths.push(step.target.join('.'));
  }
  const sorted = paths.slice().sort();
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    if (sorted[i] === prev || sorted[i].startsWith(prev + '.')) {
      throw serverError('ConflictingUpdateOperators', `Updating the path '${sorted[i]}' would create a conflict at '${prev}'`);
    }
  }
}

export function compileUpdate(update: unknown): CompiledUpdate {
  if (Array.isArray(update)) throw new EmbeddedUnsupportedError('pipeline-style updates (an array of stages)');
  if (!isPlainObject(update)) throw new MongoInvalidArgumentError('Update document requires atomic operators');
  const ops = Object.keys(update);
  if (ops.length === 0 || !ops[0].startsWith('$')) throw new MongoInvalidArgumentError('Update document requires atomic operators');
  const steps: UpdateStep[] = [];
  for (const op of ops) {
    if (op === '$bit') throw new EmbeddedUnsupportedError('the $bit update operator');
    if (!APPLY[op]) {
      throw serverError('FailedToParse', `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    const spec = update[op];
    if (!isPlainObject(spec)) {
      throw serverError('FailedToParse', `Modifiers operate on fields but we found type ${typeName(spec)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${renderValue(spec)}}`);
    }
    for (const field of Object.keys(spec)) steps.push(compileStep(op, field, spec[field]));
  }
  checkConflicts(steps);
  return { steps };
}

/** The new version of `base`, or null when the update changes nothing. Throws before touching anything stored. */
export function applyUpdate(base: Doc, update: CompiledUpdate, isInsert: boolean): Doc | null {
  const draft = new Draft(base);
  let changed = false;
  for (const step of update.steps) {
    if (step.op === '$setOnInsert' && !isInsert) continue;
    if (APPLY[step.op](draft, step, base)) changed = true;
  }
  if (!isInsert && changed && !strictEquals(draft.root._id, base._id)) throw immutableIdError();
  return changed || isInsert ? draft.root : null;
}

export function checkReplacement(replacement: unknown): Doc {
  if (!isPlainObject(replacement)) throw new MongoInvalidArgumentError('Replacement document must be an object');
  for (const key of Object.keys(replacement)) {
    if (key.startsWith('$')) throw new MongoInvalidArgumentError('Replacement document must not contain atomic operators');
  }
  return replacement;
}

/** The stored form of a replacement: the old _id first (a different one is refused), then the new fields. */
export function replacementFor(base: Doc, replacement: Doc): Doc {
  const copy = cloneDoc(replacement);
  if ('_id' in copy && !strictEquals(copy._id, base._id)) throw immutableIdError();
  delete copy._id;
  return { _id: base._id, ...copy };
}
