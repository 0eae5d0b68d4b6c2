import { Environment } from "@marcbachmann/cel-js";

/**
 * The checked syntax tree of `@marcbachmann/cel-js`, as far as the cost estimate and the
 * evaluation meter need it. The library hands out a parsed expression's tree (`ast`) but does
 * not document its shape, so this module is the only one that reads it: a library upgrade that
 * changes the tree is met here, and the estimator's and meter's tests say so.
 */
export type EvaluateFn = (ev: unknown, ast: CelNode, ctx: unknown) => unknown;

export interface CelNode {
  op: string;
  args: unknown;
  /** Set by the type check: what the node yields. */
  checkedType?: { kind: string; name: string };
  readonly meta: {
    /** The node stands for another: a constant's value, or the comprehension a macro expands to. */
    alternate?: CelNode;
    /** `has()` and `cel.bind()`, which evaluate themselves. */
    macro?: { evaluate: EvaluateFn; var?: string; val?: CelNode; exp?: CelNode; macroHasProps?: CelNode[] };
    evaluate: EvaluateFn;
  };
  evaluate: EvaluateFn;
}

/** What a comprehension (`all`, `exists`, `exists_one`, `map`, `filter`) holds once expanded. */
export interface ComprehensionArgs {
  iterable: CelNode;
  iterVarName: string;
  init: CelNode;
  step: CelNode;
}

const NodeClass = Object.getPrototypeOf(new Environment().parse("true").ast).constructor as new (...args: never[]) => CelNode;

export function isCelNode(value: unknown): value is CelNode {
  return value instanceof NodeClass;
}

/** How a node is evaluated, with its stand-in and macro resolved: what its `evaluate` does after its first call. */
export function evaluationOf(node: CelNode): EvaluateFn {
  const { alternate, macro, evaluate } = node.meta;
  if (alternate) return (ev, _ast, ctx) => alternate.evaluate(ev, alternate, ctx);
  if (macro) return (ev, _ast, ctx) => macro.evaluate(ev, macro as unknown as CelNode, ctx);
  return evaluate;
}

/** The nodes a node evaluates directly, in no particular order. */
export function childrenOf(node: CelNode): CelNode[] {
  const { alternate, macro } = node.meta;
  if (alternate) return [alternate];
  if (macro) return [macro.val, macro.exp, ...(macro.macroHasProps ?? [])].filter(isCelNode);
  const args = node.args;
  switch (node.op) {
    case "value":
    case "id":
    case "accuValue":
    case "accuInc":
      return [];
    case "comprehension": {
      const { iterable, init, step } = args as ComprehensionArgs;
      return [iterable, init, step];
    }
    case "call":
      return ((args as [string, unknown[]])[1] ?? []).filter(isCelNode);
    case "rcall": {
      const [, receiver, rest] = args as [string, unknown, unknown[]];
      return [receiver, ...(rest ?? [])].filter(isCelNode);
    }
    case "map":
      return (args as unknown[][]).flat().filter(isCelNode);
    default:
      return (Array.isArray(args) ? args : [args]).filter(isCelNode);
  }
}
