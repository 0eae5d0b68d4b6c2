/**
 * Markdown for the generated reference pages. VitePress compiles each page as a Vue template
 * and reads `{…}` after some inline text as attributes, so text from the code is escaped here:
 * no raw `<`, `>` or braces outside code, pipes escaped in table cells, one line each.
 */

/** The command that writes the reference pages again. */
export const REGENERATE = "npm run docs:reference";

/** Text from the code as Markdown: one line, with nothing Markdown, HTML or Vue would read as markup. */
export function text(value: string): string {
  return oneLine(value)
    .replace(/[\\*[\]`]/g, (c) => `\\${c}`)
    .replace(/&(?=#?\w+;)|[<>{}]/g, (c) => ENTITIES[c]!)
    .replace(/^[#+\-=]|^(\d+)([.)])/, (marker, digits?: string, dot?: string) => (digits ? `${digits}\\${dot}` : `\\${marker}`));
}

const ENTITIES: Record<string, string> = { "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;", "&": "&amp;" };

/** Parts of a description as one: a part that more follows ends with a full stop, as it is written or added. */
export function sentences(parts: readonly string[]): string {
  const said = parts.filter((part) => part !== "");
  return said.map((part, i) => (i < said.length - 1 ? fullStop(part) : part)).join(" ");
}

/** A sentence ending as one: with a full stop unless it has one already, or another mark that ends it. */
export function fullStop(sentence: string): string {
  return /[.!?…]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** Inline code: a fence longer than any run of backticks inside, padded when it starts or ends with one. */
export function code(value: string): string {
  const content = oneLine(value);
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = content.startsWith("`") || content.endsWith("`") ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** `values` as inline code, joined as a list in prose: `a`, `b` or `c`. */
export function codeList(values: readonly unknown[], conjunction = "or"): string {
  const items = values.map((value) => code(typeof value === "string" ? value : JSON.stringify(value)));
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}

/** A link to an anchor on the same page. */
export function link(label: string, anchor: string): string {
  return `[${label}](#${anchor})`;
}

/** A heading with an explicit anchor, so links to it survive a change of its text. */
export function heading(level: number, title: string, anchor: string): string {
  return `${"#".repeat(level)} ${title} {#${anchor}}`;
}

/** An anchor from a name: lowercase letters, digits and single dashes. */
export function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** A table of Markdown cells; a pipe in a cell, in code too, is escaped so it does not end the cell. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => cell.replaceAll("|", "\\|") || " ").join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/**
 * A whole page: a comment saying where it comes from and how to write it again, the title, an
 * introduction, and the body inside a `v-pre` container, so nothing in it is read as Vue.
 */
export function page(options: { title: string; source: string; generator: string; intro: string; body: readonly string[] }): string {
  const header = `<!-- Generated from ${options.source} by ${options.generator}. Do not edit: run \`${REGENERATE}\`. -->`;
  return [header, `# ${options.title}`, options.intro, "::: v-pre", ...options.body, ":::", ""].join("\n\n");
}

/** Ensures no anchor is given twice on a page: a duplicate would make links to it ambiguous. */
export class Anchors {
  private readonly taken = new Set<string>();

  add(anchor: string): string {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(anchor))
      throw new Error(`anchor ${JSON.stringify(anchor)} is not lowercase words joined by dashes`);
    if (this.taken.has(anchor)) throw new Error(`anchor #${anchor} is given twice`);
    this.taken.add(anchor);
    return anchor;
  }
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}
