import {
  ACTION,
  VIEW,
  type CardStatus,
  type DenyModalMetadata,
  type DurationChoice,
  type PetitionCard,
  type RequestModalInput,
} from "./card.js";
import { escapeUserText } from "./mrkdwn.js";

/**
 * Block Kit for every message and modal Greenlight sends: pure functions of a `PetitionCard`.
 * Slack refuses a whole message over any one of its limits (`invalid_blocks`), and a retry
 * would fail the same way, so every text is cut to fit here, whatever the petition holds.
 * Text that people wrote (reasons, labels, names) goes through `escapeUserText` wherever it is
 * shown as mrkdwn: it can neither format, nor ping, nor draw a line of its own.
 */

export interface SlackMessage {
  /** The fallback: what notifications and screen readers show. */
  text: string;
  blocks: object[];
}

/** Slack's limits (https://api.slack.com/reference/block-kit), and how much of a list is shown. */
const MAX = {
  sectionText: 3000,
  fieldText: 2000,
  header: 150,
  optionText: 75,
  buttonText: 75,
  optionValue: 150,
  options: 100,
  modalTitle: 24,
  inputLabel: 2000,
  listed: 10,
} as const;

/** Cuts text to `max` characters ending in "…", never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Cuts mrkdwn without leaving half an entity (`&am`) or half a token (`<@U12`), which Slack would show raw. */
function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = truncate(text, max).slice(0, -1);
  if (cut.lastIndexOf("<") > cut.lastIndexOf(">")) cut = cut.slice(0, cut.lastIndexOf("<"));
  return `${cut.replace(/&[a-z]*$/, "")}…`;
}

/** Plain text is not parsed, so it needs no escaping; on one line, so it cannot draw another. */
const plain = (text: string, max: number) => ({ type: "plain_text", text: truncate(text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " "), max) });
/** `verbatim`: Slack links only the tokens written here, never a URL or a channel name in what people wrote. */
const mrkdwn = (text: string, max: number = MAX.sectionText) => ({ type: "mrkdwn", text: truncateMrkdwn(text, max), verbatim: true });
const section = (text: string) => ({ type: "section", text: mrkdwn(text) });
const context = (text: string) => ({ type: "context", elements: [mrkdwn(text)] });
const header = (text: string) => ({ type: "header", text: plain(text, MAX.header) });
const actions = (elements: object[], blockId?: string) => ({ type: "actions", ...(blockId ? { block_id: blockId } : {}), elements });
const option = (label: string, value: string) => ({ text: plain(label, MAX.optionText), value });

function linkButton(text: string, url: string, primary = false): object {
  return { type: "button", action_id: ACTION.open, text: plain(text, MAX.buttonText), url, ...(primary ? { style: "primary" } : {}) };
}

/** A date Slack shows in the reader's own time zone; the ISO form is for clients that cannot. */
function slackDate(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${new Date(ms).toISOString()}>`;
}

/** The same date in the plain fallback text, where tokens may be shown raw (notifications). */
function plainDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

type DateFormat = (ms: number) => string;

/** "a, b, c and 4 more". */
function inline(items: string[], max = 3): string {
  if (items.length <= max) return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

/** One line each for the first ten, then "…and N more". */
function lines(items: string[]): string {
  const shown = items.slice(0, MAX.listed);
  return [...shown, ...(items.length > shown.length ? [`…and ${items.length - shown.length} more`] : [])].join("\n");
}

/** Text people wrote, shown inline: escaped and then cut, so the limit holds however many `&` it has. */
const name = (text: string, max = 200) => truncateMrkdwn(escapeUserText(text), max);

/** Text people wrote, shown as its lines inside a block quote: whatever it holds stays inside the quote. */
const quoted = (text: string) =>
  escapeUserText(text.trim(), { lines: true })
    .split("\n")
    .map((line) => `>${line}`)
    .join("\n");

const SLACK_USER = /^[UW][A-Z0-9]{2,30}$/;

/** A petitioner as a mention when Slack knows them (it renders their name and links to them), else their label. */
function person(p: PetitionCard["petitioners"][number]): string {
  return p.slackUserId && SLACK_USER.test(p.slackUserId) ? `<@${p.slackUserId}>` : name(p.label, 100);
}

/** "prod-db", or "prod-db and 3 more", escaped. */
function whatFor(card: PetitionCard, bold = true): string {
  const [first] = card.resources;
  if (!first) return "access";
  const label = bold ? `*${name(first.label)}*` : name(first.label);
  return card.resources.length === 1 ? label : `${label} and ${card.resources.length - 1} more`;
}

/** A code span, where Slack formats nothing: what it shows cannot close it. */
const code = (text: string) => `\`${truncateMrkdwn(escapeUserText(text, { code: true }), 100)}\``;

const withReason = (reason: string) => (reason.trim() ? `: ${name(reason, 1000)}` : "");

/** How a decided petition ended, in one line. */
function outcome(status: Exclude<CardStatus, { state: "pending" }>, date: DateFormat): string {
  switch (status.state) {
    case "granted":
      return status.expireAt === null
        ? `✅ Approved by ${name(status.by)}, until revoked`
        : `✅ Approved by ${name(status.by)} for ${name(status.duration, 100)}, until ${date(status.expireAt)}`;
    case "denied":
      return `❌ Denied by ${name(status.by)}${withReason(status.reason)}`;
    case "timed_out":
      return `⌛ Timed out${withReason(status.reason)}`;
    case "cancelled":
      return `🚫 Cancelled by ${name(status.by)}`;
    case "revoked":
      return `🔒 Revoked by ${name(status.by)} (${date(status.at)})${withReason(status.reason)}`;
    case "expired":
      return `🕓 Expired (${date(status.at)})`;
  }
}

function progress(status: Extract<CardStatus, { state: "pending" }>): string {
  const approvals = `${status.approvers.length} of ${status.needed} approval${status.needed === 1 ? "" : "s"}`;
  if (status.approvers.length === 0) return `⏳ Waiting for review (${approvals})`;
  return `Approved by ${inline(status.approvers.map((a) => name(a, 100)))} (${approvals})`;
}

const stateLine = (status: CardStatus, date: DateFormat) => (status.state === "pending" ? progress(status) : outcome(status, date));

/** The card's options for a select: at most 100, each option's text cut to fit. */
function durationOptions(choices: DurationChoice[]): Array<ReturnType<typeof option>> {
  return choices.slice(0, MAX.options).map((c) => option(c.label, c.value));
}

/** The message posted for reviewers, and updated in place as the petition moves on. */
export function reviewMessage(card: PetitionCard): SlackMessage {
  const blocks: object[] = [
    header(`${card.highRisk ? "🔴 High-risk access request" : "Access request"}: ${card.resources[0]?.label ?? card.name}`),
    section(`*Requested by*\n${lines(card.petitioners.map(person)) || "_unknown_"}`),
    section(`*Resources*\n${lines(card.resources.map((r) => `• ${name(r.kind, 80)}: *${name(r.label, 150)}*`)) || "_none_"}`),
    section(`*Reason*\n${card.reason.trim() ? quoted(card.reason) : "_No reason given_"}`),
    {
      type: "section",
      fields: [
        mrkdwn(`*Duration*\n${card.requestedDuration ? name(card.requestedDuration, 100) : "_not specified_"}`, MAX.fieldText),
        mrkdwn(risk(card), MAX.fieldText),
      ],
    },
  ];
  const pending = card.status.state === "pending";
  if (pending && card.highRisk) {
    blocks.push(section("⚠️ High-risk petitions are decided in Greenlight's web UI, after a fresh sign-in, not in Slack."));
  }
  blocks.push(section(stateLine(card.status, slackDate)));
  if (pending && !card.highRisk) blocks.push(reviewActions(card));
  else if (pending) blocks.push(actions([linkButton("Review in Greenlight (sign-in required)", card.webUrl, true)]));
  else blocks.push(actions([linkButton("Open in Greenlight", card.webUrl)]));
  blocks.push(context(`Petition ${code(card.name)} · requested ${slackDate(card.createdAt)}`));

  const asked = card.requestedDuration ? ` (${name(card.requestedDuration, 100)})` : "";
  const who = inline(card.petitioners.map((p) => name(p.label, 100))) || "Someone";
  const reason = card.reason.trim() ? `: ${name(card.reason, 300)}` : "";
  const summary = `${card.highRisk ? "[High risk] " : ""}${who} requests ${whatFor(card, false)}${asked}${reason}`;
  const text = card.status.state === "pending" ? summary : `${summary} — ${outcome(card.status, plainDate)}`;
  return { text: truncateMrkdwn(text, MAX.sectionText), blocks };
}

function risk(card: PetitionCard): string {
  const marks = [
    ...(card.highRisk ? ["🔴 *High risk*"] : []),
    ...(card.riskLabels.length > 0 ? [inline(card.riskLabels.map(code), MAX.listed)] : []),
  ];
  return `*Risk*\n${marks.join("\n") || "_none marked_"}`;
}

/** Duration, Approve, Deny and the link, in one block: an Approve click carries the block's selected duration. */
function reviewActions(card: PetitionCard): object {
  const elements: object[] = [];
  const options = durationOptions(card.durationChoices);
  if (options.length > 0) {
    const preselected = options.find((o) => o.value === card.defaultDuration) ?? options[0];
    elements.push({
      type: "static_select",
      action_id: ACTION.duration,
      placeholder: plain("Duration", MAX.optionText),
      options,
      initial_option: preselected,
    });
  }
  elements.push(
    { type: "button", action_id: ACTION.approve, text: plain("Approve", MAX.buttonText), style: "primary", value: card.name },
    { type: "button", action_id: ACTION.deny, text: plain("Deny", MAX.buttonText), style: "danger", value: card.name },
    linkButton("Open in Greenlight", card.webUrl),
  );
  return actions(elements, `greenlight.review:${card.name}`);
}

/** A direct message about one petition: a sentence, the petition's name, and the link. */
function notice(card: PetitionCard, sentence: (date: DateFormat) => string): SlackMessage {
  return {
    text: truncateMrkdwn(sentence(plainDate), MAX.sectionText),
    blocks: [
      section(sentence(slackDate)),
      context(`Petition ${code(card.name)}`),
      actions([linkButton("Open in Greenlight", card.webUrl)]),
    ],
  };
}

/** The DM telling a petitioner how their petition ended (or where it stands). */
export function decisionMessage(card: PetitionCard): SlackMessage {
  const what = whatFor(card);
  return notice(card, (date) => {
    const status = card.status;
    switch (status.state) {
      case "pending":
        return `Your request for ${what} is waiting for review. ${progress(status)}.`;
      case "granted":
        return status.expireAt === null
          ? `✅ Your access to ${what} was approved by ${name(status.by)}, until revoked.`
          : `✅ Your access to ${what} was approved by ${name(status.by)} for ${name(status.duration, 100)}, until ${date(status.expireAt)}.`;
      case "denied":
        return `❌ Your request for ${what} was denied by ${name(status.by)}${withReason(status.reason) || "."}`;
      case "timed_out":
        return `⌛ Your request for ${what} timed out without a decision${withReason(status.reason) || "."}`;
      case "cancelled":
        return `🚫 Your request for ${what} was cancelled by ${name(status.by)}.`;
      case "revoked":
        return `🔒 Your access to ${what} was revoked by ${name(status.by)} (${date(status.at)})${withReason(status.reason) || "."}`;
      case "expired":
        return `🕓 Your access to ${what} expired (${date(status.at)}). Request it again if you still need it.`;
    }
  });
}

/** "15 minutes", "1 hour 5 minutes". */
function minutesText(minutes: number): string {
  const whole = Math.max(0, Math.round(minutes));
  if (whole === 0) return "less than a minute";
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (whole < 60) return unit(whole, "minute");
  const rest = whole % 60;
  return `${unit(Math.floor(whole / 60), "hour")}${rest ? ` ${unit(rest, "minute")}` : ""}`;
}

/** The DM that access ends soon. */
export function expiryReminderMessage(card: PetitionCard, minutesLeft: number): SlackMessage {
  const expireAt = card.status.state === "granted" ? card.status.expireAt : null;
  return notice(
    card,
    (date) =>
      `⏰ Your access to ${whatFor(card)} ends in ${minutesText(minutesLeft)}${expireAt === null ? "" : ` (${date(expireAt)})`}. ` +
      "If you need longer, request it again in Greenlight or with `/greenlight request`.",
  );
}

/** The DM confirming a request made from Slack. Its `text` is complete on its own (it may be sent without blocks). */
export function requestReceivedMessage(card: PetitionCard): SlackMessage {
  const link = `<${card.webUrl.replace(/&/g, "&amp;").replace(/</g, "%3C").replace(/>/g, "%3E").replace(/\|/g, "%7C")}|${escapeUserText(card.name, { code: true })}>`;
  return notice(card, (date) => `📨 Your request for ${whatFor(card)} was received as ${link}. ${stateLine(card.status, date)}.`);
}

/** The modal asking a reviewer why they deny; what it is about travels in `private_metadata`. */
export function denyReasonModal(meta: DenyModalMetadata, card: PetitionCard): object {
  return {
    type: "modal",
    callback_id: VIEW.deny,
    private_metadata: JSON.stringify(meta),
    title: plain("Deny request", MAX.modalTitle),
    submit: plain("Deny", MAX.modalTitle),
    close: plain("Cancel", MAX.modalTitle),
    blocks: [
      section(`Deny the request of ${inline(card.petitioners.map(person))} for ${whatFor(card)}?`),
      context(`Their reason: ${card.reason.trim() ? name(card.reason, 500) : "_none given_"} · petition ${code(card.name)}`),
      {
        type: "input",
        block_id: "reason",
        optional: false,
        label: plain("Why do you deny it? (the petitioner sees this)", MAX.inputLabel),
        element: { type: "plain_text_input", action_id: "reason", multiline: true, max_length: 1000 },
      },
    ],
  };
}

/** The modal of `/greenlight request`: a resource, a reason and, optionally, a duration. */
export function requestModal(input: RequestModalInput): object {
  const base = {
    type: "modal",
    callback_id: VIEW.request,
    title: plain("Request access", MAX.modalTitle),
    close: plain("Cancel", MAX.modalTitle),
  };
  const search = input.search?.trim() ? `“${name(input.search, 100)}”` : null;
  // An option's value holds at most 150 characters; a longer one cannot be offered, and the modal says so.
  const fitting = input.resources.filter((r) => r.value.length <= MAX.optionValue);
  const options = fitting.slice(0, MAX.options).map((r) => option(r.label, r.value));
  if (options.length === 0) {
    const nothing =
      input.resources.length > 0
        ? "The matching resources cannot be listed here: their ids are too long for a Slack menu."
        : search
          ? `Nothing you can request matches ${search}.`
          : "There is nothing you can request here.";
    return { ...base, blocks: [section(`${nothing} Try \`/greenlight request\` with another search, or look in Greenlight's web UI.`)] };
  }
  const blocks: object[] = [
    {
      type: "input",
      block_id: "resource",
      label: plain("Resource", MAX.inputLabel),
      element: { type: "static_select", action_id: "resource", placeholder: plain("Choose a resource", MAX.optionText), options },
    },
  ];
  const left = input.resources.length - options.length;
  if (search || left > 0) {
    const more = `${left} more are not listed here: narrow the list with \`/greenlight request &lt;search&gt;\`, or use Greenlight's web UI.`;
    blocks.push(context([search ? `Resources matching ${search}.` : "", left > 0 ? more : ""].filter(Boolean).join(" ")));
  }
  blocks.push({
    type: "input",
    block_id: "reason",
    label: plain("Reason", MAX.inputLabel),
    element: { type: "plain_text_input", action_id: "reason", multiline: true, placeholder: plain("What do you need it for?", 150) },
  });
  const durations = durationOptions(input.durations);
  if (durations.length > 0) {
    const preselected = durations.find((o) => o.value === input.defaultDuration);
    blocks.push({
      type: "input",
      block_id: "duration",
      optional: true,
      label: plain("Duration", MAX.inputLabel),
      element: {
        type: "static_select",
        action_id: "duration",
        placeholder: plain("Duration", MAX.optionText),
        options: durations,
        ...(preselected ? { initial_option: preselected } : {}),
      },
    });
  }
  return { ...base, submit: plain("Request", MAX.modalTitle), blocks };
}

/** Slack's own tokens (mentions, channel links, dates, links), which `ephemeralText` keeps as they are. */
const TOKEN = /<(?:@[UW][A-Z0-9]+(?:\|[^<>]*)?|#C[A-Z0-9]+(?:\|[^<>]*)?|!date\^[^<>]*|(?:https?:\/\/|mailto:)[^<>\s|]+(?:\|[^<>]*)?)>/g;

/**
 * A one-section explanation (an ephemeral reply, or a DM). Its text is mrkdwn already: a message
 * this module rendered, or the services' words, whose quotes of what people wrote went through
 * `escapeUserText`. Entities and Slack's tokens are kept; any other `&`, `<`, `>` is escaped.
 */
export function ephemeralText(text: string): SlackMessage {
  let safe = "";
  let at = 0;
  for (const match of text.matchAll(TOKEN)) {
    safe += escapeStray(text.slice(at, match.index)) + match[0];
    at = match.index + match[0].length;
  }
  safe = truncateMrkdwn(safe + escapeStray(text.slice(at)), MAX.sectionText);
  return { text: safe, blocks: [section(safe)] };
}

/** `&`, `<` and `>` that are not already an entity. */
function escapeStray(text: string): string {
  return text
    .replace(/&(?!(?:amp|lt|gt);)/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
