import { GreenlightAPI } from "@greenlight/sdk";
import type { Command } from "commander";
import { UsageError } from "./output.js";
import { effectiveSettings } from "./settings.js";

/** The global options every command that talks to a server takes. */
export interface GlobalOptions {
  url?: string;
  space?: string;
  token?: string;
}

/** A client for the server the flags, the environment or `greenlight login` name. */
export function clientFor(command: Command): GreenlightAPI {
  const settings = effectiveSettings(command.optsWithGlobals<GlobalOptions>());
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
