import { readBody } from "../outbound/read-body.js";
import { isOnCallError, ON_CALL_PROVIDER_NAMES, OnCallError, type OnCallProviderKind } from "./types.js";

/**
 * The plumbing the on-call clients share: one bounded JSON GET, paging and fan-out with limits,
 * and small readers for untyped JSON. Nothing here retries: a caller that gets an `OnCallError`
 * treats it as "no opinion", and a retry loop inside would only hold a petition up longer.
 */

/** Larger answers are refused: the lists we read are a few kilobytes a page. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Pages followed per list before giving up. */
export const MAX_PAGES = 50;
/** Requests one check may make in all (pages and per-schedule or per-incident calls). */
export const MAX_REQUESTS_PER_CHECK = 200;
/** Per-schedule or per-incident calls in flight at once. */
export const FAN_OUT = 4;

export interface ProviderHttpOptions {
  provider: OnCallProviderKind;
  baseUrl: string;
  apiKey: string;
  /** The provider's authorization and accept headers. */
  headers: Record<string, string>;
  timeoutMs: number;
  fetch?: (input: string | URL, init?: RequestInit) => Promise<Response>;
}

/** A GET that returns parsed JSON or throws an `OnCallError` naming `what` was being done. */
export type GetJson = (path: string, query: Record<string, string>, what: string) => Promise<unknown>;

/** Makes the GET one check uses; it counts requests against `MAX_REQUESTS_PER_CHECK`. */
export function createGetJson(options: ProviderHttpOptions): GetJson {
  const { provider, apiKey, headers } = options;
  const base = parseBaseUrl(provider, options.baseUrl);
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new OnCallError(provider, `timeoutMs must be a number of milliseconds above zero; got ${options.timeoutMs}`);
  }
  const timeoutMs = Math.ceil(options.timeoutMs);
  const fail = (message: string, extra: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {}) =>
    new OnCallError(provider, redact(message, apiKey), extra);
  let requests = 0;

  return async (path, query, what) => {
    const url = new URL(base + path);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const label = `${what} (GET ${url.pathname})`;
    if (++requests > MAX_REQUESTS_PER_CHECK) {
      throw fail(`gave up before ${label}: one check may make at most ${MAX_REQUESTS_PER_CHECK} requests; narrow what is checked`);
    }

    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, { method: "GET", headers, redirect: "error", signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw fail(describeTransportFailure(error, label, url.origin, timeoutMs), { cause: error });
    }

    if (!response.ok) {
      const excerpt = await readExcerpt(response);
      const status = response.status;
      if (status === 429) {
        const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
        const when = retryAfterSeconds === undefined ? "later" : `in ${retryAfterSeconds} s`;
        throw fail(`rate-limited ${label} (HTTP 429); try again ${when}${excerpt}`, { status, retryAfterSeconds });
      }
      if (status === 401 || status === 403) {
        throw fail(`refused the API key for ${label} (HTTP ${status}); check the key and its permissions${excerpt}`, { status });
      }
      throw fail(`answered HTTP ${status} to ${label}${excerpt}`, { status });
    }

    let text: string;
    try {
      const body = await readBody(response, MAX_RESPONSE_BYTES);
      if (body.truncated) throw fail(`sent more than ${MAX_RESPONSE_BYTES} bytes for ${label}; refused`);
      text = body.text;
    } catch (error) {
      if (isOnCallError(error)) throw error;
      throw fail(describeTransportFailure(error, label, url.origin, timeoutMs), { cause: error });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw fail(`sent a body that is not JSON for ${label}${excerptOf(text)}`);
    }
  };
}

function parseBaseUrl(provider: OnCallProviderKind, baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new OnCallError(provider, `baseUrl ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new OnCallError(provider, `baseUrl must be an http(s) URL, not ${url.protocol}`);
  }
  // Kept as a string so a proxy's path prefix survives; `new URL("/x", base)` would drop it.
  return url.origin + url.pathname.replace(/\/+$/, "");
}

function describeTransportFailure(error: unknown, label: string, origin: string, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return `did not answer ${label} within ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  if (cause?.message === "unexpected redirect") {
    return `answered ${label} with a redirect, which is not followed; set baseUrl to the API's own address`;
  }
  const reason = cause ? cause.message : error instanceof Error ? error.message : String(error);
  return `could not reach ${origin} for ${label}: ${reason}`;
}

/**
 * The start of an error body, for the message. The request's timeout still bounds the read; a
 * body that is too large or cut off just goes unquoted.
 */
async function readExcerpt(response: Response): Promise<string> {
  try {
    const body = await readBody(response, MAX_RESPONSE_BYTES);
    return body.truncated ? "" : excerptOf(body.text);
  } catch {
    return "";
  }
}

const EXCERPT_CHARS = 200;

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (!flat) return "";
  return `: ${flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat}`;
}

/** A provider that echoes the request back must not put the key into our logs. */
function redact(message: string, apiKey: string): string {
  if (!apiKey) return message;
  let out = message;
  for (const form of new Set([apiKey, encodeURIComponent(apiKey)])) out = out.split(form).join("[redacted]");
  return out;
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export interface Page<T, C> {
  items: T[];
  /** Where the next page starts; absent on the last page. */
  next: C | undefined;
}

/**
 * Reads every page of a list, from `fetchPage(undefined)` on, stopping with an error past
 * `MAX_PAGES` or when the provider hands back the cursor it was just given.
 */
export async function followPages<T, C>(
  list: { provider: OnCallProviderKind; what: string; hint: string },
  fetchPage: (cursor: C | undefined) => Promise<Page<T, C>>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: C | undefined;
  for (let page = 1; ; page++) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    if (result.next === undefined) return items;
    if (result.next === cursor) throw new OnCallError(list.provider, `listing ${list.what} returned the same page twice; stopped`);
    if (page >= MAX_PAGES) {
      throw new OnCallError(list.provider, `listing ${list.what} ran past ${MAX_PAGES} pages; stopped rather than read on. ${list.hint}`);
    }
    cursor = result.next;
  }
}

/**
 * Runs `check` over `items`, `FAN_OUT` at a time, and returns the first value found. Once one is
 * found, or one check fails, no further checks start; a failure is thrown unless a value was
 * found first.
 */
export async function findFirst<T, R>(items: readonly T[], check: (item: T) => Promise<R | undefined>): Promise<R | undefined> {
  let next = 0;
  let found: R | undefined;
  let failed = false;
  const worker = async () => {
    while (found === undefined && !failed && next < items.length) {
      const item = items[next++]!;
      try {
        // Not `found ??= await …`: that reads `found` before the await and would overwrite
        // another worker's find with this one's miss.
        const result = await check(item);
        if (found === undefined) found = result;
      } catch (error) {
        failed = true;
        if (found === undefined) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FAN_OUT, items.length) }, worker));
  return found;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `body[field]` as an array, or an error saying the answer was not what the API documents. */
export function listField(provider: OnCallProviderKind, body: unknown, field: string, what: string): unknown[] {
  const value = isRecord(body) ? body[field] : undefined;
  if (!Array.isArray(value)) {
    throw new OnCallError(
      provider,
      `the answer to ${what} has no "${field}" list; is baseUrl the ${ON_CALL_PROVIDER_NAMES[provider]} API?`,
    );
  }
  return value;
}

export function textOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Emails are compared trimmed and lower-cased: providers keep whatever case people typed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
