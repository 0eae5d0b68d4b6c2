import { GreenlightError } from "./errors.js";
import type { Settings } from "./settings.js";
import type { AccessToken } from "./types.js";

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Makes a write safe to retry: the server answers a repeat with the first answer. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** A media type other than JSON to ask for; the answer is then its text, unparsed (errors are still the JSON envelope). */
  accept?: string;
}

const REFRESH_PREFIX = "glr_";
/** Exchange a refresh token again this long before its access token expires. */
const REFRESH_EARLY_MS = 60_000;

/**
 * HTTP to the API: authentication (exchanging a refresh token for access tokens as needed),
 * JSON in and out, the error envelope turned into `GreenlightError`, and retries, with
 * backoff, of requests that failed for a passing reason and are safe to repeat.
 */
export class Transport {
  private access: { token: string; refreshAt: number } | undefined;
  private exchanging: Promise<string> | undefined;

  constructor(readonly settings: Settings) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const safeToRepeat = method === "GET" || options.idempotencyKey !== undefined;
    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, options);
      } catch (error) {
        if (!(error instanceof GreenlightError) || options.signal?.aborted) throw error;
        // STEP_UP_REQUIRED is a 401 about the person's sign-in, not the token: a new one changes nothing.
        if (error.status === 401 && error.code !== "STEP_UP_REQUIRED" && this.isRefreshToken() && !reauthenticated) {
          // The access token was revoked or expired early: exchange the refresh token again.
          reauthenticated = true;
          this.access = undefined;
          continue;
        }
        if (!error.isRetryable || !safeToRepeat || attempt >= this.settings.retries) throw error;
        await sleep(backoffMs(attempt, error), options.signal);
      }
    }
  }

  /** Exchanges a refresh token for an access token (`POST /v1/auth/token`). */
  async exchange(refreshToken: string, signal?: AbortSignal): Promise<AccessToken> {
    return this.send<AccessToken>(
      "POST",
      "/v1/auth/token",
      { body: { grant_type: "refresh_token", refresh_token: refreshToken }, signal },
      undefined,
    );
  }

  private async once<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    return this.send<T>(method, path, options, await this.authorization(options.signal));
  }

  private async send<T>(method: string, path: string, options: RequestOptions, authorization: string | undefined): Promise<T> {
    const url = new URL(this.settings.baseURL + path);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: options.accept ?? "application/json" };
    if (authorization) headers.authorization = authorization;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.settings.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

    let response: Response;
    try {
      response = await this.settings.fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const what = timeout.aborted ? "did not answer in time" : "could not be reached";
      throw new GreenlightError(
        0,
        "NETWORK",
        `${method} ${url.origin}${url.pathname}: the server ${what} (${describe(error)})`,
        undefined,
        { cause: error },
      );
    }
    const text = await response.text();
    if (response.ok && options.accept !== undefined) return text as T;
    const body = parse(text);
    if (response.ok) return body as T;
    const envelope = (body as { error?: { code?: string; message?: string; requestId?: string; field?: string } } | undefined)?.error;
    const error = new GreenlightError(
      response.status,
      envelope?.code ?? `HTTP_${response.status}`,
      envelope?.message ?? `${method} ${url.pathname} answered ${response.status} ${response.statusText}`,
      envelope?.requestId,
      envelope?.field === undefined ? undefined : { field: envelope.field },
    );
    const retryAfter = Number(response.headers.get("retry-after"));
    if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterOf.set(error, retryAfter * 1000);
    throw error;
  }

  /**
   * The answer's text as it arrives, line by line, for long streamed answers (exports). The
   * timeout covers the wait for the answer to begin, not the whole stream.
   */
  async *lines(path: string, options: Pick<RequestOptions, "query" | "signal" | "accept"> = {}): AsyncGenerator<string> {
    const url = new URL(this.settings.baseURL + path);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const started = new AbortController();
    const timer = setTimeout(() => started.abort(new Error("the server did not answer in time")), this.settings.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, started.signal]) : started.signal;
    let response: Response;
    try {
      response = await this.settings.fetch(url, {
        headers: { accept: options.accept ?? "application/x-ndjson", authorization: await this.authorization(options.signal) },
        signal,
      });
    } catch (error) {
      throw new GreenlightError(
        0,
        "NETWORK",
        `GET ${url.origin}${url.pathname}: the server could not be reached (${describe(error)})`,
        undefined,
        {
          cause: error,
        },
      );
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok || !response.body) {
      const envelope = (parse(await response.text()) as { error?: { code?: string; message?: string; requestId?: string } } | undefined)
        ?.error;
      throw new GreenlightError(
        response.status,
        envelope?.code ?? `HTTP_${response.status}`,
        envelope?.message ?? `GET ${url.pathname} answered ${response.status}`,
        envelope?.requestId,
      );
    }
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        yield buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
      }
    }
    buffered += decoder.decode();
    if (buffered !== "") yield buffered;
  }

  private isRefreshToken(): boolean {
    return this.settings.apiToken.startsWith(REFRESH_PREFIX);
  }

  private async authorization(signal?: AbortSignal): Promise<string> {
    if (!this.isRefreshToken()) return `Bearer ${this.settings.apiToken}`;
    if (this.access && this.settings.now() < this.access.refreshAt) return `Bearer ${this.access.token}`;
    // One exchange at a time, shared by every request that needs it.
    this.exchanging ??= this.exchange(this.settings.apiToken, signal)
      .then((answer) => {
        const lifetimeMs = answer.expires_in * 1000;
        this.access = {
          token: answer.access_token,
          refreshAt: this.settings.now() + Math.max(lifetimeMs / 2, lifetimeMs - REFRESH_EARLY_MS),
        };
        return answer.access_token;
      })
      .finally(() => (this.exchanging = undefined));
    return `Bearer ${await this.exchanging}`;
  }
}

const retryAfterOf = new WeakMap<GreenlightError, number>();

/** Exponential backoff with jitter, or what the server asked for, whichever is longer (at most 10 s). */
function backoffMs(attempt: number, error: GreenlightError): number {
  const exponential = 250 * 2 ** attempt * (0.5 + Math.random());
  return Math.min(10_000, Math.max(exponential, retryAfterOf.get(error) ?? 0));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", abort, { once: true });
    function done() {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
  });
}

function parse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
