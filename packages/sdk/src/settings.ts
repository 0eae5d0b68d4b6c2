/**
 * Where the client connects and as whom: from the options, else from the environment
 * (`GREENLIGHT_API_URL`, `GREENLIGHT_API_TOKEN`, `GREENLIGHT_SPACE`, or Indent's
 * `INDENT_API_TOKEN` and `INDENT_SPACE` for those moving over).
 */
export interface ClientOptions {
  /** The server, such as `http://127.0.0.1:8787` (a trailing `/v1` is accepted). */
  baseURL?: string;
  /** An access token, a refresh token (`glr_…`, exchanged automatically) or the admin token. */
  apiToken?: string;
  /** The space to act in; defaults to the one an access token is for, else `default`. */
  spaceName?: string;
  /** How many times a request that failed for a passing reason is tried again (default 2). */
  retries?: number;
  /** How long one request may take, in ms (default 30 s; waits ask for longer themselves). */
  timeoutMs?: number;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /**
   * The time in ms since epoch, by which the client renews its token and `approval()` counts
   * its waits; `Date.now` by default. A test gives it the server's test clock.
   */
  now?: () => number;
}

export interface Settings {
  baseURL: string;
  apiToken: string;
  spaceName: string;
  retries: number;
  timeoutMs: number;
  fetch: typeof fetch;
  now: () => number;
}

export const DEFAULT_BASE_URL = "http://127.0.0.1:8787";

function env(name: string): string | undefined {
  const value = typeof process === "undefined" ? undefined : process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

export function resolveSettings(options: ClientOptions = {}): Settings {
  const apiToken = options.apiToken ?? env("GREENLIGHT_API_TOKEN") ?? env("INDENT_API_TOKEN");
  if (!apiToken) {
    throw new TypeError(
      "no API token: pass { apiToken } or set GREENLIGHT_API_TOKEN (a service account's refresh token, an access token, or the server's admin token)",
    );
  }
  const baseURL = (options.baseURL ?? env("GREENLIGHT_API_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, "").replace(/\/v1$/, "");
  const spaceName = options.spaceName ?? env("GREENLIGHT_SPACE") ?? env("INDENT_SPACE") ?? claimsOf(apiToken)?.space ?? "default";
  return {
    baseURL,
    apiToken,
    spaceName: String(spaceName),
    retries: options.retries ?? 2,
    timeoutMs: options.timeoutMs ?? 30_000,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    now: options.now ?? Date.now,
  };
}

/**
 * The claims of a JWT, read without checking its signature (the server checks it). Indent's
 * client reads the petitioner's email from `sub` the same way.
 *
 * @example
 * const who = claimsOf(process.env.GREENLIGHT_API_TOKEN!)?.sub; // "alice@example.com"
 */
export function claimsOf(token: string): Record<string, unknown> | undefined {
  const payload = token.split(".")[1];
  if (token.split(".").length !== 3 || !payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const claims: unknown = JSON.parse(json);
    return typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
