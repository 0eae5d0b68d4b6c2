import { childrenOf, type CelNode, type ComprehensionArgs } from "./cel-ast.js";

/**
 * The cost of a CEL expression, estimated before it ever runs, as Kubernetes estimates the
 * cost of its CEL rules: the worst case over every input the server accepts, from the
 * expression's shape and the size limits of what it reads. A comprehension costs its body
 * once per element of what it ranges over, so nesting multiplies.
 *
 * The unit is the one the evaluation meter (`cel-meter.ts`) counts, so an expression estimated
 * within a limit also runs within it: one per node evaluated, plus the size of what the node
 * yields (a list's elements, a string's length in 64-character pieces), since whatever reads
 * that value next walks it. A unit is some tens of nanoseconds.
 */

/** What a value may hold at most. */
export type Shape =
  | { kind: "scalar" }
  | { kind: "string"; length: number }
  | { kind: "list"; size: number; of: Shape }
  | { kind: "map"; size: number; key: Shape; value: Shape; fields?: Readonly<Record<string, Shape>> }
  /** Anything: a value whose structure the estimate cannot follow. */
  | { kind: "any" };

export const SCALAR: Shape = { kind: "scalar" };
export const ANY: Shape = { kind: "any" };
export const text = (length: number): Shape => ({ kind: "string", length });
export const listOf = (size: number, of: Shape): Shape => ({ kind: "list", size, of });
export const mapOf = (size: number, key: Shape, value: Shape): Shape => ({ kind: "map", size, key, value });
export const record = (fields: Record<string, Shape>): Shape => ({
  kind: "map",
  size: Object.keys(fields).length,
  key: text(32),
  value: ANY,
  fields: Object.assign(Object.create(null) as Record<string, Shape>, fields),
});

/** Characters of a string that cost one unit. */
export const CHARS_PER_UNIT = 64;
/** How large "anything" is taken to be: a list of this many elements, a string this long. */
const ANY_SIZE = 4096;
/** Characters times pattern characters of a regular expression match that cost one unit. */
export const REGEX_CHARS_PER_UNIT = 32;
/** Characters `size()` counts (one code point at a time) for one unit. */
export const SIZE_CHARS_PER_UNIT = 4;
/** A timestamp's field in a named time zone: the library formats the date in that zone each time (~20 µs). */
export const TIME_ZONE_COST = 1000;
const TIME_ZONE_GETTERS = new Set([
  "getDate",
  "getDayOfMonth",
  "getDayOfWeek",
  "getDayOfYear",
  "getFullYear",
  "getHours",
  "getMilliseconds",
  "getMinutes",
  "getMonth",
  "getSeconds",
]);

/** Whether the node reads a timestamp's field in a named time zone (`t.getHours("Europe/Paris")`). */
export function readsTimeZone(node: CelNode): boolean {
  return (
    node.op === "rcall" &&
    TIME_ZONE_GETTERS.has(String((node.args as unknown[])[0])) &&
    ((node.args as unknown[])[2] as unknown[]).length === 1
  );
}

/** What one value costs to yield, beyond the node itself: what reading it next may walk. */
export function sizeCost(shape: Shape): number {
  switch (shape.kind) {
    case "string":
      return Math.floor(shape.length / CHARS_PER_UNIT);
    case "list":
      return shape.size;
    case "any":
      return ANY_SIZE;
    default:
      return 0;
  }
}

/** What a match of a pattern against a string costs (RE2 is linear in both). */
export function regexCost(textLength: number, patternLength: number): number {
  return Math.ceil(((textLength + 1) * (patternLength + 1)) / REGEX_CHARS_PER_UNIT);
}

/** The estimated worst-case cost of a checked expression whose variables have these shapes. */
export function estimateCost(root: CelNode, variables: Readonly<Record<string, Shape>>): number {
  return Math.min(new Estimator(variables).estimate(root, new Map()).cost, Number.MAX_SAFE_INTEGER);
}

type Scope = ReadonlyMap<string, Shape>;
interface Estimate {
  cost: number;
  shape: Shape;
}

class Estimator {
  constructor(private readonly variables: Readonly<Record<string, Shape>>) {}

  /** `yieldsAccumulator`: a comprehension's step, whose value is the accumulator (as the meter sees it). */
  estimate(node: CelNode, scope: Scope, yieldsAccumulator = false): Estimate {
    const { alternate, macro } = node.meta;
    // A stand-in or a bind is a node of its own too, and the meter charges it as one.
    if (alternate) return charged(this.estimate(alternate, scope));
    if (macro?.val && macro.exp) return charged(this.bind(node, scope));
    if (node.op === "comprehension") return this.comprehension(node, scope);
    const children = childrenOf(node).map((child) => this.estimate(child, scope));
    const below = children.reduce((sum, child) => sum + child.cost, 0);
    const shape = this.shapeOf(node, children, scope);
    // The accumulator of a comprehension is one list, grown in place: yielding it walks nothing.
    const own = yieldsAccumulator || node.op.startsWith("accu") ? 1 : 1 + sizeCost(shape) + this.extra(node, children);
    return { cost: below + own, shape };
  }

  /** `cel.bind(name, value, body)`: the value once, and the body with the name standing for it. */
  private bind(node: CelNode, scope: Scope): Estimate {
    const macro = node.meta.macro!;
    const bound = this.estimate(macro.val!, scope);
    const body = this.estimate(macro.exp!, new Map(scope).set(macro.var ?? "", bound.shape));
    return { cost: bound.cost + body.cost, shape: body.shape };
  }

  /** Its range once, then its step for every element: the multiplication that nesting compounds. */
  private comprehension(node: CelNode, scope: Scope): Estimate {
    const { iterable, iterVarName, init, step } = node.args as ComprehensionArgs;
    const range = this.estimate(iterable, scope);
    const start = this.estimate(init, scope);
    const { count, element } = rangeOf(range.shape);
    const inner = new Map(scope).set(iterVarName, element);
    const body = this.estimate(step, inner, true);
    // `map` and `filter` collect what their step pushes: the element itself, or its transform.
    const push = findPush(step);
    const collected = push ? this.estimate(push.args as CelNode, inner).shape : element;
    const yields = node.checkedType?.kind === "list" ? listOf(count, collected) : SCALAR;
    return { cost: range.cost + start.cost + count * (body.cost + 1) + 1 + sizeCost(yields), shape: yields };
  }

  /** Work a call does beyond yielding its value (the meter charges the same). */
  private extra(node: CelNode, children: Estimate[]): number {
    const name = functionName(node);
    if (name === "matches" && children.length === 2) return regexCost(lengthOf(children[0]!.shape), lengthOf(children[1]!.shape));
    if (name === "size" && children.length === 1) {
      const [{ shape }] = children as [Estimate];
      return Math.ceil((shape.kind === "list" || shape.kind === "map" ? shape.size : lengthOf(shape)) / SIZE_CHARS_PER_UNIT);
    }
    return readsTimeZone(node) ? TIME_ZONE_COST : 0;
  }

  private shapeOf(node: CelNode, children: Estimate[], scope: Scope): Shape {
    const shapes = children.map((child) => child.shape);
    switch (node.op) {
      case "value":
        return typeof node.args === "string" ? text(node.args.length) : SCALAR;
      case "id":
        return (
          scope.get(String(node.args)) ??
          (Object.hasOwn(this.variables, String(node.args)) ? this.variables[String(node.args)] : undefined) ??
          typed(node)
        );
      case ".":
      case ".?":
        return field(shapes[0]!, String((node.args as [unknown, unknown])[1]));
      case "[]":
      case "[?]":
        return indexed(shapes[0]!, (node.args as [CelNode, CelNode])[1]);
      case "list":
        return listOf(shapes.length, shapes.reduce(join, shapes[0] ?? SCALAR));
      case "map": {
        // Keys and values alternate: childrenOf lists each entry's key, then its value.
        const keys = shapes.filter((_, i) => i % 2 === 0);
        const values = shapes.filter((_, i) => i % 2 === 1);
        return mapOf(keys.length, keys.reduce(join, SCALAR), values.reduce(join, SCALAR));
      }
      case "?:":
        return join(shapes[1]!, shapes[2]!);
      case "+":
        return sum(shapes[0]!, shapes[1]!);
      case "call":
      case "rcall":
        return this.callShape(node, shapes);
      default:
        return typed(node);
    }
  }

  private callShape(node: CelNode, shapes: Shape[]): Shape {
    const [receiver] = shapes;
    switch (functionName(node)) {
      case "dyn":
      case "string":
        return receiver?.kind === "string" || functionName(node) === "dyn" ? receiver! : text(64);
      case "lowerAscii":
      case "upperAscii":
      case "trim":
      case "substring":
        return text(lengthOf(receiver!));
      case "split": {
        const length = lengthOf(receiver!);
        return listOf(length + 1, text(length));
      }
      case "join": {
        const list = receiver?.kind === "list" ? receiver : { size: ANY_SIZE, of: ANY };
        const separator = shapes[1] ? lengthOf(shapes[1]) : 0;
        return text(list.size * (lengthOf(list.of) + separator));
      }
      default:
        return typed(node);
    }
  }
}

function charged(inner: Estimate): Estimate {
  return { cost: inner.cost + 1 + sizeCost(inner.shape), shape: inner.shape };
}

function functionName(node: CelNode): string | undefined {
  if (node.op !== "call" && node.op !== "rcall") return undefined;
  return String((node.args as unknown[])[0]);
}

/** A shape from the type check alone, for values the variables' shapes do not reach. */
function typed(node: CelNode): Shape {
  const name = node.checkedType?.name ?? "dyn";
  if (name === "string" || name === "bytes") return text(ANY_SIZE);
  if (name.startsWith("list") || name.startsWith("map") || name === "dyn") return ANY;
  return SCALAR;
}

function field(shape: Shape, name: string): Shape {
  if (shape.kind === "map") return shape.fields ? (shape.fields[name] ?? ANY) : shape.value;
  return ANY;
}

function indexed(shape: Shape, key: CelNode): Shape {
  if (shape.kind === "list") return shape.of;
  if (shape.kind === "map" && shape.fields && key.op === "value") return field(shape, String(key.args));
  if (shape.kind === "map") return shape.fields ? ANY : shape.value;
  return ANY;
}

function rangeOf(shape: Shape): { count: number; element: Shape } {
  if (shape.kind === "list") return { count: shape.size, element: shape.of };
  if (shape.kind === "map") return { count: shape.size, element: shape.key };
  return { count: ANY_SIZE, element: ANY };
}

function findPush(node: CelNode): CelNode | undefined {
  if (node.op === "accuPush") return node;
  for (const child of childrenOf(node)) {
    const found = findPush(child);
    if (found) return found;
  }
  return undefined;
}

function lengthOf(shape: Shape): number {
  if (shape.kind === "string") return shape.length;
  return shape.kind === "any" ? ANY_SIZE : 64;
}

/** The larger of two shapes: what either may be. */
function join(a: Shape, b: Shape): Shape {
  if (a.kind !== b.kind) return a.kind === "scalar" ? b : b.kind === "scalar" ? a : ANY;
  switch (a.kind) {
    case "string":
      return text(Math.max(a.length, (b as typeof a).length));
    case "list":
      return listOf(Math.max(a.size, (b as typeof a).size), join(a.of, (b as typeof a).of));
    case "map": {
      const other = b as typeof a;
      return mapOf(Math.max(a.size, other.size), join(a.key, other.key), join(a.value, other.value));
    }
    default:
      return a;
  }
}

/** What `+` yields: strings and lists grow; numbers, times and durations do not. */
function sum(a: Shape, b: Shape): Shape {
  if (a.kind === "string" && b.kind === "string") return text(a.length + b.length);
  if (a.kind === "list" && b.kind === "list") return listOf(a.size + b.size, join(a.of, b.of));
  if (a.kind === "any" || b.kind === "any") return ANY;
  return a.kind === "scalar" ? b : a;
}
