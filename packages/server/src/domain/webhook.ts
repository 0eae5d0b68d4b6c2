import { randomBytes } from "node:crypto";
import type { Destination, Switchable } from "./destination.js";
import { invalidArgument } from "./errors.js";

/**
 * A webhook of a space: a URL Greenlight calls, signed with the webhook's secret, in Indent's
 * protocol. Indent encoded what a webhook handles as labels (`indent.com/webhook/kind:decision
 * = "true"`, `indent.com/webhook/applyUpdate:kind = "okta.v1.Group,…"`); both those labels and
 * the explicit `handlers` are understood, and both are written back.
 */
export type WebhookHandlerType = "applyUpdate" | "pullUpdate" | "decision";
export const HANDLER_TYPES: readonly WebhookHandlerType[] = ["applyUpdate", "pullUpdate", "decision"];

export interface WebhookHandler {
  type: WebhookHandlerType;
  /** Resource kinds it handles; empty means every kind. */
  resourceKinds: string[];
}

export interface WebhookHeader {
  value?: string;
  /** Indent's name for a header taken from a stored credential; kept as given. */
  credential?: string;
}

/** The identity a decision webhook's claims must come from. */
export interface WebhookBot {
  id?: string;
  email?: string;
}

export interface Webhook extends Destination, Switchable {
  name: string;
  displayName: string;
  url: string;
  method: string;
  headers: Record<string, WebhookHeader>;
  secret: string;
  dryRun: boolean;
  labels: Record<string, string>;
  handlers: WebhookHandler[];
  bot: WebhookBot;
}

/** The bot Indent's shipped decision integrations sign their claims as. */
export const INDENT_BOT_EMAIL = "bot@indent.com";

const KIND_LABEL = "indent.com/kind";
const WEBHOOK_KIND = "indent.blocks.v1.Webhook";
const HANDLER_FLAG = (type: WebhookHandlerType) => `indent.com/webhook/kind:${type}`;
const HANDLER_KINDS = (type: WebhookHandlerType) => `indent.com/webhook/${type}:kind`;

/** Handlers named by explicit entries, else by Indent's labels. */
export function handlersFrom(handlers: WebhookHandler[] | undefined, labels: Record<string, string>): WebhookHandler[] {
  if (handlers && handlers.length > 0) return dedupeHandlers(handlers);
  const found: WebhookHandler[] = [];
  for (const type of HANDLER_TYPES) {
    const kinds = labels[HANDLER_KINDS(type)];
    if (labels[HANDLER_FLAG(type)] === "true" || labels["indent.com/webhook/kind"] === type || kinds !== undefined) {
      found.push({ type, resourceKinds: splitKinds(kinds) });
    }
  }
  return found;
}

/** Indent's labels for the handlers, merged over the given labels. */
export function labelsWithHandlers(labels: Record<string, string>, handlers: WebhookHandler[]): Record<string, string> {
  const out: Record<string, string> = { ...labels, [KIND_LABEL]: WEBHOOK_KIND };
  for (const type of HANDLER_TYPES) {
    delete out[HANDLER_FLAG(type)];
    delete out[HANDLER_KINDS(type)];
  }
  for (const handler of handlers) {
    out[HANDLER_FLAG(handler.type)] = "true";
    if (handler.resourceKinds.length > 0) out[HANDLER_KINDS(handler.type)] = handler.resourceKinds.join(",");
  }
  if (handlers.length === 1) out["indent.com/webhook/kind"] = handlers[0]!.type;
  else delete out["indent.com/webhook/kind"];
  return out;
}

function splitKinds(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((kind) => kind.trim())
    .filter(Boolean);
}

function dedupeHandlers(handlers: WebhookHandler[]): WebhookHandler[] {
  const byType = new Map<WebhookHandlerType, Set<string>>();
  for (const handler of handlers) {
    const kinds = byType.get(handler.type) ?? new Set();
    for (const kind of handler.resourceKinds) kinds.add(kind);
    byType.set(handler.type, kinds);
  }
  return [...byType].map(([type, kinds]) => ({ type, resourceKinds: [...kinds] }));
}

/** The headers a webhook is sent with: those with a value (a header naming an Indent credential has none here). */
export function headerValues(webhook: Pick<Webhook, "headers">): Record<string, string> {
  return Object.fromEntries(
    Object.entries(webhook.headers).flatMap(([name, header]) => (header.value === undefined ? [] : [[name, header.value]])),
  );
}

export function handles(webhook: Webhook, type: WebhookHandlerType): boolean {
  return webhook.handlers.some((handler) => handler.type === type);
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A new signing secret in Indent's form: `wks0` and 40 letters and digits. */
export function newWebhookSecret(): string {
  let secret = "wks0";
  // 248 is the largest multiple of 62 below 256: rejecting the rest keeps every character equally likely.
  while (secret.length < 44) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && secret.length < 44) secret += ALPHANUMERIC[byte % 62];
    }
  }
  return secret;
}

/** Checks a webhook URL: absolute http(s), no credentials in it. */
export function checkWebhookUrl(url: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidArgument(
      `${field} must be an absolute URL such as https://hooks.example.com/greenlight, not ${JSON.stringify(url)}`,
      field,
    );
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw invalidArgument(`${field} must use https (or http), not ${parsed.protocol.replace(":", "")}`, field);
  }
  if (parsed.username || parsed.password) {
    throw invalidArgument(`${field} must not carry a user name or password; send credentials in a header instead`, field);
  }
  return parsed.toString();
}
