/**
 * Text people wrote (reasons, names, labels, denial reasons), made inert in Slack's mrkdwn.
 * Every piece of it on every message goes through `escapeUserText`, so it can neither format
 * nor draw a line that looks like the card's own ("✅ Approved by cto@…"), nor ping anyone.
 * mrkdwn has no escape for its formatting, so, as jsx-slack does:
 *
 * - `&`, `<` and `>` become entities (Slack's own rule), which disarms every token a person
 *   could write: `<!channel>`, `<!here>`, `<!everyone>`, `<@U…>`, `<#C…>`, `<!subteam^…>`,
 *   `<!date…>` and links `<https://…|text>`;
 * - `*`, `_`, `~` and backticks (and Slack's full-width forms of them) become look-alikes
 *   (∗ ˍ ∼ ˋ), so no bold, italic, strike or code span can be drawn;
 * - a line that starts with `>` (or `＞`) gets an invisible soft hyphen first, so it opens no
 *   block quote;
 * - `@channel`, `@here` and `@everyone` get a full-width ＠, so nothing pings even where Slack
 *   would link names;
 * - line breaks become spaces unless the text is shown as lines (`lines: true`), so text shown
 *   inline cannot start a line of its own; control and bidirectional-override characters,
 *   which could hide or reorder what is shown, are dropped.
 *
 * Inside a code span (`code: true`) Slack formats nothing, so only the entities and a
 * look-alike for the backtick that would close the span are needed: `pet_01…` stays as it is.
 *
 * Text objects carry `verbatim: true` too (see blocks.ts), so Slack does not turn URLs or
 * channel names into links by itself; the tokens this module's callers write still work.
 */
export function escapeUserText(text: string, options: { lines?: boolean; code?: boolean } = {}): string {
  const lines = text
    .replace(HIDDEN, "")
    .split(LINE_BREAK)
    .map((line) => (options.code ? inertCode(line) : inertLine(line)));
  return lines.join(options.lines ? "\n" : " ");
}

const HIDDEN = /[\u0000-\u0008\u000e-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/;
const FORMATTING = /[*＊_＿~`｀]/g;
const LOOK_ALIKES: ReadonlyMap<string, string> = new Map([
  ["*", "∗"],
  ["＊", "﹡"],
  ["_", "ˍ"],
  ["＿", "⸏"],
  ["~", "∼"],
  ["`", "ˋ"],
  ["｀", "ˋ"],
]);
const BROADCAST = /@(channel|here|everyone)\b/gi;
const QUOTE_AT_START = /^(\s*)(&gt;|＞)/;

function entities(line: string): string {
  return line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function inertCode(line: string): string {
  return entities(line).replace(/[`｀]/g, "ˋ");
}

function inertLine(line: string): string {
  return entities(line)
    .replace(FORMATTING, (c) => LOOK_ALIKES.get(c) ?? c)
    .replace(BROADCAST, "＠$1")
    .replace(QUOTE_AT_START, "$1\u00ad$2");
}
