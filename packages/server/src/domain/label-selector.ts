import { invalidArgument, type DomainError } from "./errors.js";

/**
 * Kubernetes label selectors (`env=prod,tier in (web,api),!legacy`), parsed the way
 * `k8s.io/apimachinery/pkg/labels.Parse` reads them and matched against a resource's labels.
 *
 * Two deliberate differences from Kubernetes: keys and values are not held to Kubernetes' name
 * rules, because Indent's labels use keys such as `indent.com/time/duration` (two slashes) and
 * values such as `alice@example.com`; and a dangling `env=` or an empty `env in ()` is an error
 * rather than a test for the empty value, because it is far more often a typo. The empty value
 * can still be selected with `env in (,)`.
 */
export type Requirement =
  | { key: string; op: "eq" | "neq"; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "notexists" }
  | { key: string; op: "gt" | "lt"; value: number };

/** The AND of its requirements; the empty selector matches everything. */
export type LabelSelector = readonly Requirement[];

const FIELD = "labelSelector";
const MAX_INPUT_LENGTH = 4096;
const MAX_REQUIREMENTS = 50;
/** The longest key Kubernetes accepts: a 253-character DNS prefix, `/`, a 63-character name. */
const MAX_KEY_LENGTH = 317;
const MAX_VALUE_LENGTH = 1024;

/** Characters of a key or value: anything that cannot be confused with selector syntax. */
const WORD = /[\p{L}\p{M}\p{N}._\-/@+:]+/uy;
const WHOLE_WORD = /^[\p{L}\p{M}\p{N}._\-/@+:]+$/u;
const SPACE = /\s*/y;
const INTEGER = /^[+-]?[0-9]+$/;
/** Longest first, so that `==` is not read as two `=`. */
const SYMBOLS = ["==", "!=", "=", "!", "(", ")", ",", ">", "<"] as const;

// ---------------------------------------------------------------------------------------------
// Parsing

export function parseLabelSelector(input: string): LabelSelector {
  if (input.length > MAX_INPUT_LENGTH) {
    throw fail(`the selector is ${input.length} characters long; the limit is ${MAX_INPUT_LENGTH}`);
  }
  return new Parser(input, tokenize(input)).selector();
}

type Token = { kind: "word" | "end" | (typeof SYMBOLS)[number]; text: string; pos: number };

/**
 * Splits the input into words and symbols. `in` and `notin` come out as words: whether they
 * are operators depends on where they stand, so the parser decides. That lets `in` also serve
 * as a key or a value, and keeps `formatLabelSelector` output parseable for every key.
 */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = skipSpace(input, 0);
  while (pos < input.length) {
    WORD.lastIndex = pos;
    const text = WORD.exec(input)?.[0] ?? SYMBOLS.find((symbol) => input.startsWith(symbol, pos));
    if (text === undefined) {
      const char = String.fromCodePoint(input.codePointAt(pos) ?? 0);
      throw fail(
        `unexpected character ${JSON.stringify(char)} at position ${pos}; ` + "keys and values may use letters, digits and . _ - / @ + :",
      );
    }
    const kind = (SYMBOLS as readonly string[]).includes(text) ? (text as Token["kind"]) : "word";
    tokens.push({ kind, text, pos });
    pos = skipSpace(input, pos + text.length);
  }
  tokens.push({ kind: "end", text: "", pos: input.length });
  return tokens;
}

function skipSpace(input: string, pos: number): number {
  SPACE.lastIndex = pos;
  SPACE.exec(input);
  return SPACE.lastIndex;
}

/**
 * Recursive descent over the grammar
 *
 *   selector    = [ requirement { "," requirement } ]
 *   requirement = "!" key
 *               | key [ ("=" | "==" | "!=") value | (">" | "<") integer | ("in" | "notin") list ]
 *   list        = "(" [ value ] { "," [ value ] } ")"      (at least one value or comma)
 */
class Parser {
  private index = 0;

  constructor(
    private readonly input: string,
    private readonly tokens: readonly Token[],
  ) {}

  selector(): LabelSelector {
    const requirements: Requirement[] = [];
    if (this.peek().kind === "end") return requirements;
    for (;;) {
      const start = this.peek().pos;
      if (requirements.length === MAX_REQUIREMENTS) {
        throw fail(`more than ${MAX_REQUIREMENTS} requirements; the one past the limit starts at position ${start}`);
      }
      requirements.push(this.requirement());
      const separator = this.next();
      if (separator.kind === "end") return requirements;
      if (separator.kind !== ",") {
        const written = this.input.slice(start, separator.pos).trim();
        throw fail(`expected "," or the end of the selector after "${written}" ${found(separator)}`);
      }
    }
  }

  private requirement(): Requirement {
    if (this.peek().kind === "!") {
      this.next();
      return { key: this.key('"!"'), op: "notexists" };
    }
    const key = this.key(this.index === 0 ? undefined : '","');
    const op = this.peek();
    switch (op.kind) {
      case "end":
      case ",":
        return { key, op: "exists" };
      case "=":
      case "==":
      case "!=":
        this.next();
        return { key, op: op.kind === "!=" ? "neq" : "eq", value: this.value(`${key}${op.text}`) };
      case ">":
      case "<":
        this.next();
        return { key, op: op.kind === ">" ? "gt" : "lt", value: this.integer(`${key}${op.text}`) };
      case "word":
        if (op.text === "in" || op.text === "notin") {
          this.next();
          return { key, op: op.text, values: this.list(key, op) };
        }
    }
    throw fail(`expected an operator (=, ==, !=, in, notin, >, <), "," or the end after "${key}" ${found(op)}`);
  }

  private key(after: string | undefined): string {
    const token = this.next();
    if (token.kind !== "word") {
      throw fail(`expected a label key ${after === undefined ? "" : `after ${after} `}${found(token)}`);
    }
    return checkLength(token, "label key", MAX_KEY_LENGTH);
  }

  private value(context: string): string {
    const token = this.next();
    if (token.kind !== "word") throw fail(`expected a value after "${context}" ${found(token)}`);
    return checkLength(token, "value", MAX_VALUE_LENGTH);
  }

  private integer(context: string): number {
    const token = this.next();
    const number = token.kind === "word" ? parseInteger(token.text) : undefined;
    if (number === undefined) throw fail(`expected an integer after "${context}" ${found(token)}`);
    // `value` is a number, so only integers that a number holds exactly are accepted.
    if (number > Number.MAX_SAFE_INTEGER || number < Number.MIN_SAFE_INTEGER) {
      throw fail(`the integer at position ${token.pos} is outside ±${Number.MAX_SAFE_INTEGER}`);
    }
    return Number(number);
  }

  private list(key: string, op: Token): string[] {
    const open = this.next();
    if (open.kind !== "(") {
      throw fail(`"${op.text}" at position ${op.pos} needs a parenthesised list such as "${key} ${op.text} (prod,staging)"`);
    }
    if (this.peek().kind === ")") {
      throw fail(`the list of "${op.text}" at position ${open.pos} is empty; give at least one value`);
    }
    const values: string[] = [];
    for (;;) {
      // An empty entry, as in `(a,)`, stands for the empty value, as Kubernetes reads it.
      values.push(this.peek().kind === "word" ? checkLength(this.next(), "value", MAX_VALUE_LENGTH) : "");
      const separator = this.next();
      if (separator.kind === ")") return canonicalValues(values);
      if (separator.kind === "end") throw fail(`missing ")" to close the list opened at position ${open.pos}`);
      if (separator.kind !== ",") {
        throw fail(
          `expected "," or ")" at position ${separator.pos} in the list opened at position ${open.pos}, ` + `found "${separator.text}"`,
        );
      }
    }
  }

  private peek(): Token {
    // The token list ends with an "end" token, and `next` never moves past it.
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index++;
    return token;
  }
}

/** "at position N, found X", or just "at position N" at the end of the input. */
function found(token: Token): string {
  return token.kind === "end" ? `at position ${token.pos}` : `at position ${token.pos}, found "${token.text}"`;
}

function checkLength(token: Token, what: string, max: number): string {
  if (token.text.length > max) {
    throw fail(`the ${what} at position ${token.pos} is ${token.text.length} characters long; the limit is ${max}`);
  }
  return token.text;
}

/** De-duplicated and sorted, as Kubernetes stores set-based values, so formatting is canonical. */
function canonicalValues(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function parseInteger(text: string): bigint | undefined {
  return INTEGER.test(text) ? BigInt(text) : undefined;
}

function fail(message: string): DomainError {
  return invalidArgument(`${FIELD}: ${message}`, FIELD);
}

// ---------------------------------------------------------------------------------------------
// Matching

export function matchesLabelSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  return selector.every((requirement) => matchesRequirement(requirement, labels));
}

function matchesRequirement(requirement: Requirement, labels: Readonly<Record<string, string>>): boolean {
  // `hasOwn`, so that keys such as `constructor` are not found on Object.prototype.
  const value = Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined;
  switch (requirement.op) {
    case "eq":
      return value === requirement.value;
    case "neq":
      return value !== requirement.value;
    case "in":
      return value !== undefined && requirement.values.includes(value);
    case "notin":
      return value === undefined || !requirement.values.includes(value);
    case "exists":
      return value !== undefined;
    case "notexists":
      return value === undefined;
    case "gt":
    case "lt": {
      // Compared as bigint against number, which JavaScript does exactly at any magnitude.
      const number = value === undefined ? undefined : parseInteger(value);
      if (number === undefined) return false;
      return requirement.op === "gt" ? number > requirement.value : number < requirement.value;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting

/**
 * The canonical text of a selector: no spaces except around `in`/`notin`, set values sorted and
 * de-duplicated. Throws for a selector that no text could express (a key with a space, `eq` with
 * an empty value, ...), since its text would parse as something else or not at all.
 */
export function formatLabelSelector(selector: LabelSelector): string {
  if (selector.length > MAX_REQUIREMENTS) {
    throw fail(`cannot format ${selector.length} requirements; the limit is ${MAX_REQUIREMENTS}`);
  }
  const text = selector.map(formatRequirement).join(",");
  if (text.length > MAX_INPUT_LENGTH) {
    throw fail(`the formatted selector is ${text.length} characters long; the limit is ${MAX_INPUT_LENGTH}`);
  }
  return text;
}

function formatRequirement(requirement: Requirement): string {
  const key = formatWord(requirement.key, "label key", MAX_KEY_LENGTH);
  switch (requirement.op) {
    case "eq":
      return `${key}=${formatWord(requirement.value, "value", MAX_VALUE_LENGTH)}`;
    case "neq":
      return `${key}!=${formatWord(requirement.value, "value", MAX_VALUE_LENGTH)}`;
    case "in":
    case "notin":
      return `${key} ${requirement.op} (${formatList(requirement.values)})`;
    case "exists":
      return key;
    case "notexists":
      return `!${key}`;
    case "gt":
    case "lt":
      if (!Number.isSafeInteger(requirement.value)) {
        throw fail(`cannot format "${key}": ${requirement.value} is not a safe integer`);
      }
      return `${key}${requirement.op === "gt" ? ">" : "<"}${requirement.value}`;
  }
}

function formatList(values: readonly string[]): string {
  if (values.length === 0) throw fail("cannot format an empty list of values");
  const text = canonicalValues(values)
    .map((value) => (value === "" ? "" : formatWord(value, "value", MAX_VALUE_LENGTH)))
    .join(",");
  // The empty value alone would print as `()`, which reads as an empty list.
  return text === "" ? "," : text;
}

function formatWord(text: string, what: string, max: number): string {
  if (!WHOLE_WORD.test(text) || text.length > max) {
    throw fail(`cannot format the ${what} ${JSON.stringify(text)}: it needs 1 to ${max} letters, digits or . _ - / @ + :`);
  }
  return text;
}
