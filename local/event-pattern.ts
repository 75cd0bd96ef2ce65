// EventBridge event-pattern matching, for the local bus. The rule patterns in
// events/routing.ts are what the deployed rules use, so this follows the
// documented EventBridge semantics rather than anything looser: a pattern that
// matches here must match in AWS, and the other way round.
//
// Supported: exact values (strings, numbers, booleans, null), arrays as OR,
// nested objects, `prefix`, `suffix`, `equals-ignore-case`, `wildcard`,
// `anything-but` (value, list, prefix, suffix, equals-ignore-case), `exists`,
// `numeric` ranges and `$or`. Arrays in the event are flattened, as in
// EventBridge: a field matches when any of its values matches.

export class InvalidEventPatternError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InvalidEventPatternError";
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** True when `event` matches `pattern`; throws InvalidEventPatternError for a malformed pattern. */
export function matchesEventPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  if (!isPlainObject(pattern)) throw new InvalidEventPatternError("an event pattern must be a JSON object");
  return matchObject(pattern, [event], "");
}

/**
 * Matches a pattern object against the values found at one level of the event.
 * `nodes` holds every object reachable at this path (arrays flattened).
 */
function matchObject(pattern: Record<string, unknown>, nodes: unknown[], path: string): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === "$or") {
      if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isPlainObject)) {
        throw new InvalidEventPatternError(
          `${path || "pattern"}.$or must be an array of at least two patterns`,
        );
      }
      if (!rule.some((alternative) => matchObject(alternative, nodes, path))) return false;
      continue;
    }
    const fieldPath = path ? `${path}.${key}` : key;
    const children = childValues(nodes, key);
    if (isPlainObject(rule)) {
      const objects = children.filter(isPlainObject);
      if (!matchObject(rule, objects, fieldPath)) return false;
      continue;
    }
    if (!Array.isArray(rule)) {
      throw new InvalidEventPatternError(
        `${fieldPath} must be an array of values or a nested pattern object`,
      );
    }
    if (rule.length === 0) throw new InvalidEventPatternError(`${fieldPath} must not be an empty array`);
    const leaves = children.flatMap(flattenLeaves);
    const present = children.length > 0;
    if (!rule.some((matcher) => matchLeaf(matcher, leaves, present, fieldPath))) return false;
  }
  return true;
}

/** Values of `key` in each node; arrays are flattened so objects inside them are reached too. */
function childValues(nodes: unknown[], key: string): unknown[] {
  const out: unknown[] = [];
  for (const node of nodes) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) continue;
    const value = node[key];
    if (Array.isArray(value)) out.push(...value.flat(Number.POSITIVE_INFINITY));
    else out.push(value);
  }
  return out;
}

function flattenLeaves(value: unknown): Json[] {
  if (Array.isArray(value)) return value.flatMap(flattenLeaves);
  if (isPlainObject(value)) return [];
  return [value as Json];
}

function matchLeaf(matcher: unknown, values: Json[], present: boolean, path: string): boolean {
  if (!isPlainObject(matcher)) {
    if (matcher !== null && !["string", "number", "boolean"].includes(typeof matcher)) {
      throw new InvalidEventPatternError(`${path}: ${JSON.stringify(matcher)} is not a value or a filter`);
    }
    return values.some((value) => value === matcher);
  }
  const keys = Object.keys(matcher);
  if (keys.length !== 1) {
    throw new InvalidEventPatternError(
      `${path}: a filter object has exactly one operator, got ${keys.join(", ")}`,
    );
  }
  const operator = keys[0]!;
  const operand = matcher[operator];
  switch (operator) {
    case "exists":
      if (typeof operand !== "boolean")
        throw new InvalidEventPatternError(`${path}: exists takes true or false`);
      return operand ? present && values.length > 0 : !present;
    case "prefix":
      return values.some((value) => matchStringOperator("prefix", operand, value, path));
    case "suffix":
      return values.some((value) => matchStringOperator("suffix", operand, value, path));
    case "equals-ignore-case":
      return values.some((value) => matchStringOperator("equals-ignore-case", operand, value, path));
    case "wildcard":
      return values.some((value) => matchStringOperator("wildcard", operand, value, path));
    case "numeric": {
      const test = compileNumeric(operand, path);
      return values.some((value) => typeof value === "number" && test(value));
    }
    case "anything-but": {
      const test = compileAnythingBut(operand, path);
      return values.some((value) => test(value));
    }
    case "cidr":
      throw new InvalidEventPatternError(`${path}: cidr filters are not supported by the local bus`);
    default:
      throw new InvalidEventPatternError(`${path}: unknown filter "${operator}"`);
  }
}

type StringOperator = "prefix" | "suffix" | "equals-ignore-case" | "wildcard";

function matchStringOperator(operator: StringOperator, operand: unknown, value: Json, path: string): boolean {
  // `{"prefix": {"equals-ignore-case": "x"}}` and the suffix equivalent.
  if ((operator === "prefix" || operator === "suffix") && isPlainObject(operand)) {
    const inner = operand["equals-ignore-case"];
    if (Object.keys(operand).length !== 1 || typeof inner !== "string") {
      throw new InvalidEventPatternError(
        `${path}: ${operator} takes a string or {"equals-ignore-case": string}`,
      );
    }
    if (typeof value !== "string") return false;
    const lowerValue = value.toLowerCase();
    const lowerInner = inner.toLowerCase();
    return operator === "prefix" ? lowerValue.startsWith(lowerInner) : lowerValue.endsWith(lowerInner);
  }
  if (typeof operand !== "string") throw new InvalidEventPatternError(`${path}: ${operator} takes a string`);
  if (typeof value !== "string") return false;
  switch (operator) {
    case "prefix":
      return value.startsWith(operand);
    case "suffix":
      return value.endsWith(operand);
    case "equals-ignore-case":
      return value.toLowerCase() === operand.toLowerCase();
    case "wildcard":
      return wildcardToRegExp(operand).test(value);
  }
}

function wildcardToRegExp(wildcard: string): RegExp {
  const escaped = wildcard.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "s");
}

const numericOperators = new Set(["<", "<=", "=", ">", ">="]);

function compileNumeric(operand: unknown, path: string): (value: number) => boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    throw new InvalidEventPatternError(`${path}: numeric takes one or two [operator, number] pairs`);
  }
  const checks: Array<(value: number) => boolean> = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const bound = operand[i + 1];
    if (typeof op !== "string" || !numericOperators.has(op) || typeof bound !== "number") {
      throw new InvalidEventPatternError(`${path}: numeric pair ${JSON.stringify([op, bound])} is not valid`);
    }
    checks.push((value) => {
      switch (op) {
        case "<":
          return value < bound;
        case "<=":
          return value <= bound;
        case "=":
          return value === bound;
        case ">":
          return value > bound;
        default:
          return value >= bound;
      }
    });
  }
  return (value) => checks.every((check) => check(value));
}

function compileAnythingBut(operand: unknown, path: string): (value: Json) => boolean {
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const operator = keys[0];
    if (keys.length !== 1 || !["prefix", "suffix", "equals-ignore-case", "wildcard"].includes(operator!)) {
      throw new InvalidEventPatternError(
        `${path}: anything-but takes a value, a list, or {prefix|suffix|equals-ignore-case|wildcard}`,
      );
    }
    const inner = operand[operator!];
    const alternatives = Array.isArray(inner) ? inner : [inner];
    return (value) =>
      typeof value === "string" &&
      !alternatives.some((alt) => matchStringOperator(operator as StringOperator, alt, value, path));
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  for (const item of excluded) {
    if (typeof item !== "string" && typeof item !== "number") {
      throw new InvalidEventPatternError(`${path}: anything-but lists hold strings or numbers`);
    }
  }
  return (value) => !excluded.includes(value as string | number);
}
