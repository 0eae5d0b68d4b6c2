import { invalidArgument } from "../../domain/errors.js";
import { GROUP_NAME } from "../../domain/roles.js";
import {
  HANDLER_TYPES,
  INDENT_BOT_EMAIL,
  type WebhookBot,
  type WebhookHandler,
  type WebhookHandlerType,
  type WebhookHeader,
} from "../../domain/webhook.js";

/** Checks of what an admin sends to make or change a webhook: each names the field and what it takes. */

const METHODS = ["POST", "PUT", "PATCH"];

export function checkName(name: string): string {
  if (!GROUP_NAME.test(name)) {
    throw invalidArgument(`webhook.name must be 1 to 63 lower-case letters, digits, '.', '_' or '-', such as "okta"`, "webhook.name");
  }
  return name;
}

export function checkMethod(method: string | undefined): string {
  const upper = (method || "POST").toUpperCase();
  if (!METHODS.includes(upper)) throw invalidArgument(`webhook.method must be one of ${METHODS.join(", ")}`, "webhook.method");
  return upper;
}

export function checkHeaders(headers: Record<string, WebhookHeader>): Record<string, WebhookHeader> {
  const out: Record<string, WebhookHeader> = {};
  for (const [name, header] of Object.entries(headers)) {
    const field = `webhook.headers["${name}"]`;
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(name)) throw invalidArgument(`${field}: not a valid header name`, field);
    if (/^(x-indent-|webhook-|content-type$|content-length$|host$)/i.test(name)) {
      throw invalidArgument(`${field}: Greenlight sets this header itself`, field);
    }
    if ((header.value === undefined) === (header.credential === undefined)) {
      throw invalidArgument(`${field} needs either a value or a credential`, field);
    }
    if (header.value !== undefined && (/[\r\n]/.test(header.value) || header.value.length > 4096)) {
      throw invalidArgument(`${field}.value must be one line of at most 4096 characters`, `${field}.value`);
    }
    out[name] = header.value !== undefined ? { value: header.value } : { credential: header.credential! };
  }
  return out;
}

export function checkSecret(secret: string): string {
  if (secret.length < 24 || secret.length > 256) {
    throw invalidArgument("webhook.secret must be 24 to 256 characters; leave it out to have one made (wks0…)", "webhook.secret");
  }
  return secret;
}

export function checkHandlers(handlers: Array<{ type: string; resourceKinds: string[] }> | undefined): WebhookHandler[] | undefined {
  handlers?.forEach((handler, i) => {
    if (!HANDLER_TYPES.includes(handler.type as WebhookHandlerType)) {
      throw invalidArgument(`webhook.handlers[${i}].type must be one of ${HANDLER_TYPES.join(", ")}`, `webhook.handlers[${i}].type`);
    }
  });
  return handlers as WebhookHandler[] | undefined;
}

export function checkBot(bot: WebhookBot | undefined): WebhookBot {
  if (!bot || (!bot.id && !bot.email)) return { email: INDENT_BOT_EMAIL };
  const out: WebhookBot = {};
  if (bot.id) out.id = bot.id;
  if (bot.email) out.email = bot.email.toLowerCase();
  return out;
}
