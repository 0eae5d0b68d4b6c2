import { GreenlightAPI } from "@greenlight/sdk";
import { Option, type Command } from "commander";
import { UsageError } from "./output.js";
import { effectiveSettings } from "./settings.js";

/** The global options every command that talks to a server takes. */
export interface GlobalOptions {
  url?: string;
  space?: string;
  token?: string;
}

const GLOBAL_FLAGS = [
  ["--url <url>", "the server (GREENLIGHT_API_URL; default http://127.0.0.1:8787)"],
  ["--space <space>", "the space (GREENLIGHT_SPACE)"],
  ["--token <token>", "an access, refresh or admin token (GREENLIGHT_API_TOKEN)"],
] as const;
const globalFlags = new WeakSet<Option>();

/**
 * Gives a command the global options, so they may come before or after its name
 * (`greenlight --token … tokens mint`, `greenlight login --url …`). A command with a flag of
 * its own by that name keeps it: after `webhooks create`, `--url` is the webhook's, and the
 * server's goes before the command's name.
 */
export function addGlobalOptions(command: Command, options: { hidden: boolean }): void {
  for (const [flags, description] of GLOBAL_FLAGS) {
    const option = new Option(flags, description);
    if (command.options.some((own) => own.long === option.long)) continue;
    if (options.hidden) option.hideHelp();
    globalFlags.add(option);
    command.addOption(option);
  }
}

/** The global options given anywhere on the way to `command`; the nearest wins. */
export function globalOptionsOf(command: Command): GlobalOptions {
  const chain: Command[] = [];
  for (let at: Command | null = command; at; at = at.parent) chain.unshift(at);
  const found: GlobalOptions = {};
  for (const at of chain)
    for (const option of at.options) {
      const value: unknown = globalFlags.has(option) ? at.getOptionValue(option.attributeName()) : undefined;
      if (typeof value === "string") found[option.attributeName() as keyof GlobalOptions] = value;
    }
  return found;
}

/** A client for the server the flags, the environment or `greenlight login` name. */
export function clientFor(command: Command): GreenlightAPI {
  const settings = effectiveSettings(globalOptionsOf(command));
  if (!settings.token) {
    throw new UsageError("no token: run greenlight login --token <token>, set GREENLIGHT_API_TOKEN, or pass --token");
  }
  return new GreenlightAPI({ baseURL: settings.url, apiToken: settings.token, spaceName: settings.space });
}

/** `kind:id`, as `--resource okta.v1.Group:engineering`; the id may itself hold colons. */
export function parseResource(text: string): { kind: string; id: string } {
  const colon = text.indexOf(":");
  if (colon <= 0 || colon === text.length - 1)
    throw new UsageError(`--resource must be kind:id, such as action:deploy-prod, not ${JSON.stringify(text)}`);
  return { kind: text.slice(0, colon), id: text.slice(colon + 1) };
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The `key=value` pairs of a repeatable option, such as `--header x-team=sre`; a value may hold `=`. */
export function parsePairs(values: string[], flag: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const text of values) {
    const eq = text.indexOf("=");
    if (eq <= 0) throw new UsageError(`${flag} must be key=value, such as ${flag} team=sre, not ${JSON.stringify(text)}`);
    pairs[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return pairs;
}

/** The items of a comma-separated option, which may also be repeated: `--kinds a,b --kinds c`. */
export function parseList(values: string[], flag: string): string[] {
  const items = values.flatMap((value) => value.split(",")).map((item) => item.trim());
  if (items.length === 0 || items.some((item) => item === "")) {
    throw new UsageError(`${flag} must be a comma-separated list such as okta.v1.Group,github.v1.Team, with nothing empty`);
  }
  return items;
}

/** Milliseconds from a duration such as 90s, 10m, 2h or 1h30m. */
export function parseDurationMs(text: string, flag: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text);
  if (!text || !match) throw new UsageError(`${flag} must be a duration such as 90s, 10m or 1h30m, not ${JSON.stringify(text)}`);
  const [, h = "0", m = "0", s = "0", ms = "0"] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms);
}

/** Up to `limitText` items, page after page. */
export async function collectPages<T>(
  limitText: string,
  read: (pageSize: number, pageToken?: string) => Promise<{ items: T[]; nextPageToken: string }>,
): Promise<T[]> {
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit must be a whole number from 1");
  const found: T[] = [];
  let pageToken: string | undefined;
  do {
    const page = await read(Math.min(100, limit - found.length), pageToken);
    found.push(...page.items);
    pageToken = page.nextPageToken || undefined;
  } while (pageToken && found.length < limit);
  return found;
}
