import { RE2JS } from "re2js";
import { childrenOf, evaluationOf, type CelNode, type ComprehensionArgs, type EvaluateFn } from "./cel-ast.js";
import { CHARS_PER_UNIT, readsTimeZone, regexCost, SIZE_CHARS_PER_UNIT, TIME_ZONE_COST } from "./cel-cost.js";

/**
 * Counting what a CEL evaluation spends, and stopping it at a limit, as cel-go's cost tracker
 * does for Kubernetes: evaluation runs on the one event loop, and `@marcbachmann/cel-js` has no
 * budget of its own. Every node of a checked expression is given an `evaluate` that charges
 * one unit, and the size of what it yields (the units `cel-cost.ts` estimates in), before
 * handing on; once the limit is passed, every node throws, so no value can come out of an
 * evaluation that ran out, however the library recovers from errors inside comprehensions.
 *
 * Units are deterministic (the same condition on the same petition spends the same), but
 * they are a model of the library's work; a slow path the model misses (an equality the
 * library takes a slow way to, say) is caught by the clock, read every 1,024 units: an
 * evaluation past its deadline stops as one past its units does.
 *
 * `matches` is evaluated here too, with RE2 (linear in the text and the pattern, as the CEL
 * specification asks) instead of the library's JavaScript RegExp, which backtracks: a pattern
 * such as `^(a+)+$` on a long reason would otherwise hold the loop for minutes in one call.
 */

/** Thrown by `runMetered` when the evaluation spent more than it may, or ran past its deadline. */
export class OutOfBudget extends Error {
  override readonly name = "OutOfBudget";
  constructor(
    readonly spent: number,
    readonly limit: number,
    readonly timeLimitMs: number | null,
  ) {
    super(
      timeLimitMs === null
        ? `it ran out of its evaluation budget of ${limit.toLocaleString("en-US")} units`
        : `it ran out of its evaluation time of ${timeLimitMs} ms`,
    );
  }
}

interface Meter {
  spent: number;
  limit: number;
  /** When `spent` reaches this, the clock is read. */
  nextClockCheck: number;
  timeLimitMs: number;
  /** `performance.now()` past which the evaluation stops: set at the first reading of the clock, and never past `latest`. */
  deadline: number | null;
  latest: number;
  timedOut: boolean;
}

/**
 * Units between readings of the clock. The first comes only after this many too, so a small
 * evaluation never reads it: what it decides cannot depend on how busy the machine is.
 */
const CLOCK_EVERY = 1024;

let active: Meter | null = null;
/** Thrown inside the evaluation; one instance, since the library may catch and drop it many times. */
const STOP = new Error("evaluation budget spent");

/** Makes every evaluation of this checked expression go through the meter. Call once, before its first evaluation. */
export function meterExpression(root: CelNode): void {
  const seen = new Set<CelNode>();
  const accumulators = new Set<CelNode>();
  const visit = (node: CelNode) => {
    if (seen.has(node)) return;
    seen.add(node);
    if (node.op === "comprehension") accumulators.add((node.args as ComprehensionArgs).step);
    for (const child of childrenOf(node)) visit(child);
    node.evaluate = metered(node, !accumulators.has(node) && !node.op.startsWith("accu"));
  };
  visit(root);
}

/**
 * Runs an evaluation of metered expressions, stopping it (`OutOfBudget`) once it spends more
 * than `limit` units or runs longer than `timeLimitMs`, or past `latest` (a `performance.now()`
 * time). The time is measured from the first reading of the clock, 1,024 units in: an
 * evaluation smaller than that reads no clock at all, which also keeps it cheap.
 */
export function runMetered<T>(limit: number, timeLimitMs: number, latest: number, run: () => T): { value: T; spent: number } {
  const outer = active;
  const meter: Meter = { spent: 0, limit, nextClockCheck: CLOCK_EVERY, timeLimitMs, deadline: null, latest, timedOut: false };
  active = meter;
  try {
    const value = run();
    if (meter.spent > limit || meter.timedOut) throw outOfBudget(meter);
    return { value, spent: meter.spent };
  } catch (error) {
    // Whatever the library made of it, an evaluation that ran out ran out.
    if (meter.spent > limit || meter.timedOut) throw outOfBudget(meter);
    throw error;
  } finally {
    active = outer;
  }
}

function outOfBudget(meter: Meter): OutOfBudget {
  return new OutOfBudget(meter.spent, meter.limit, meter.timedOut ? meter.timeLimitMs : null);
}

/** Counts one node and checks the limits: throws STOP once either is passed. */
function step(meter: Meter, units: number): void {
  if ((meter.spent += units) > meter.limit) throw STOP;
  if (meter.spent >= meter.nextClockCheck) {
    const now = performance.now();
    meter.deadline ??= Math.min(now + meter.timeLimitMs, meter.latest);
    if (now > meter.deadline) {
      meter.timedOut = true;
      throw STOP;
    }
    meter.nextClockCheck = meter.spent + CLOCK_EVERY;
  }
}

/** A meter that refuses everything, for an evaluation started outside `runMetered` (which nothing does). */
const CLOSED: Meter = { spent: 0, limit: -1, nextClockCheck: 0, timeLimitMs: 0, deadline: 0, latest: 0, timedOut: false };

/**
 * `charged`: whether what the node yields is charged by its size. A comprehension's
 * accumulator (what its step yields, and the accu nodes) is one list grown in place: yielding
 * it again walks nothing, and charging it each time would make `filter` quadratic.
 */
function metered(node: CelNode, charged: boolean): EvaluateFn {
  const evaluate = matchesOf(node) ?? evaluationOf(node);
  const before = readsTimeZone(node) ? 1 + TIME_ZONE_COST : 1;
  const countsSize = node.op === "rcall" || node.op === "call" ? String((node.args as unknown[])[0]) === "size" : false;
  return (ev, ast, ctx) => {
    const meter = active ?? CLOSED;
    step(meter, before);
    const value = evaluate(ev, ast, ctx);
    if (charged) {
      if (typeof value === "string") meter.spent += Math.floor(value.length / CHARS_PER_UNIT);
      else if (Array.isArray(value)) meter.spent += value.length;
      else if (countsSize) meter.spent += Math.ceil(Number(value) / SIZE_CHARS_PER_UNIT);
    }
    return value;
  };
}

interface Evaluator {
  run(node: CelNode, ctx: unknown): unknown;
}

/** `text.matches(pattern)` with RE2, charged for the work it does. */
function matchesOf(node: CelNode): EvaluateFn | undefined {
  if (node.op !== "rcall" || node.meta.alternate || node.meta.macro) return undefined;
  const [name, receiver, args] = node.args as [string, CelNode, CelNode[]];
  if (name !== "matches" || args.length !== 1) return undefined;
  const pattern = args[0]!;
  return (ev, _ast, ctx) => {
    const evaluator = ev as Evaluator;
    const text = evaluator.run(receiver, ctx);
    const source = evaluator.run(pattern, ctx);
    if (typeof text !== "string" || typeof source !== "string") throw new Error("matches() needs a string and a string pattern");
    step(active ?? CLOSED, regexCost(text.length, source.length));
    return compiledPattern(source).test(text);
  };
}

const patterns = new Map<string, RE2JS>();

/** A pattern compiled once; a few hundred are kept. */
export function compiledPattern(source: string): RE2JS {
  let compiled = patterns.get(source);
  if (!compiled) {
    try {
      compiled = RE2JS.compile(source);
    } catch (error) {
      throw new Error(`${JSON.stringify(source)} is not an RE2 regular expression: ${(error as Error).message}`, { cause: error });
    }
    if (patterns.size >= 500) patterns.delete(patterns.keys().next().value!);
    patterns.set(source, compiled);
  }
  return compiled;
}
