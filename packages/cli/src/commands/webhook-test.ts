import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { signIndentWebhook, webhookTestEvents } from "@greenlight/sdk";
import { Command } from "commander";
import { collect, parseDurationMs, parsePairs } from "../client.js";
import { parseFormat, printJson, printTable, UsageError } from "../output.js";
import { webhookSecretFromEnv } from "../settings.js";
import { oneLine } from "./delivery-commands.js";

/** Indent's `indent-webhook-test` config file: where to send, and what. */
interface TestConfig {
  hook?: { url?: string; secret?: string; method?: string; headers?: Record<string, string> };
  entries: Array<{ events: unknown[]; delay?: number }>;
}

interface Target {
  url: string;
  secret: string;
  method: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** How the receiver took one request; `ok` as the server would judge a delivery. */
export interface TestResult {
  event: string;
  /** The HTTP status; null when no answer came. */
  status: number | null;
  /** The answer's `status.code`, when it has one. */
  code: number | null;
  message: string;
  ok: boolean;
}

interface TestOptions {
  secret?: string;
  method?: string;
  header?: string[];
  petitioner?: string;
  kind?: string;
  id?: string;
  duration?: string;
  config?: string;
  timeout: string;
  output: string;
}

/**
 * `greenlight webhooks test <url>`: Indent's `indent-webhook-test`, checked. Sends a signed
 * sample grant and then its revoke (or the entries of an Indent test config) straight to the
 * URL, and says how the receiver took each; exits 1 if it refused any.
 *
 * @example
 * greenlight webhooks test http://localhost:3000/api/indent --secret wks0… --kind okta.v1.Group --id 00g1abcd
 * greenlight webhooks test -c webhook-test.json
 */
export function webhookTestCommand(): Command {
  return new Command("test")
    .description("send signed sample grant and revoke events straight to a URL, as indent-webhook-test does (no server needed)")
    .argument("[url]", "where to send them (default: the config file's hook.url)")
    .option("--secret <secret>", "the signing secret (default $INDENT_WEBHOOK_SECRET, then $GREENLIGHT_WEBHOOK_SECRET)")
    .option("--method <method>", "the HTTP method (default POST)")
    .option("--header <name=value>", "a header to send (repeatable)", collect)
    .option("--petitioner <email>", "who the samples grant access to (default petitioner@example.com)")
    .option("--kind <kind>", "the kind of resource they grant (default example.v1.Group)")
    .option("--id <id>", "its id (default example-group)")
    .option("--duration <duration>", "how long the sample grant lasts (default 1h)")
    .option("-c, --config <file>", "send the entries of an indent-webhook-test config file instead, one after another")
    .option("--timeout <duration>", "how long each request may take", "10s")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (url: string | undefined, options: TestOptions) => {
      const format = parseFormat(options.output);
      const config = options.config === undefined ? undefined : readConfig(options.config);
      const target = targetOf(url, options, config);
      const entries = config ? config.entries : sampleEntries(options);
      const results: TestResult[] = [];
      for (const entry of entries) {
        if (entry.delay) await sleep(entry.delay);
        results.push(await send(target, entry.events));
      }
      if (format === "json") printJson(results);
      else
        printTable(
          ["EVENT", "HTTP", "CODE", "RESULT", "MESSAGE"],
          results.map((r) => [
            r.event,
            r.status === null ? "-" : String(r.status),
            r.code === null ? "" : String(r.code),
            r.ok ? "OK" : "FAILED",
            r.message,
          ]),
        );
      const failed = results.filter((r) => !r.ok).length;
      if (failed > 0) throw new Error(`${failed} of ${results.length} requests failed`);
    });
}

function sampleEntries(options: TestOptions): TestConfig["entries"] {
  let samples: ReturnType<typeof webhookTestEvents>;
  try {
    samples = webhookTestEvents({
      petitioner: { kind: "user", email: options.petitioner ?? "petitioner@example.com" },
      resource: { kind: options.kind ?? "example.v1.Group", id: options.id ?? "example-group" },
      ...(options.duration ? { duration: options.duration } : {}),
    });
  } catch (error) {
    // Only the duration can be wrong here; the SDK says so as "duration must be …".
    if (!(error instanceof TypeError)) throw error;
    throw new UsageError(`--${error.message}`);
  }
  return [samples.grant, samples.revoke];
}

function targetOf(url: string | undefined, options: TestOptions, config: TestConfig | undefined): Target {
  if (config && [options.petitioner, options.kind, options.id, options.duration].some((flag) => flag !== undefined)) {
    throw new UsageError("--petitioner, --kind, --id and --duration shape the samples; with -c the config's entries are sent");
  }
  const destination = url ?? config?.hook?.url;
  if (!destination) throw new UsageError("give the URL to send to, or a config file (-c) with hook.url");
  let parsed: URL;
  try {
    parsed = new URL(destination);
  } catch {
    throw new UsageError(`${JSON.stringify(destination)} is not a URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new UsageError(`the URL must be http or https, not ${parsed.protocol}`);
  const secret = options.secret ?? config?.hook?.secret ?? webhookSecretFromEnv();
  if (!secret) throw new UsageError("no signing secret: pass --secret, set INDENT_WEBHOOK_SECRET, or put hook.secret in the config");
  // One spelling per header: Indent's sample config sends "Content-Type", which must not double ours.
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "greenlight-webhooks-test" };
  for (const [name, value] of Object.entries({ ...config?.hook?.headers, ...parsePairs(options.header ?? [], "--header") }))
    headers[name.toLowerCase()] = String(value);
  const method = (options.method ?? config?.hook?.method ?? "POST").toUpperCase();
  if (method === "GET" || method === "HEAD")
    throw new UsageError(`the events go in the body, which ${method} cannot carry; use POST, PUT or PATCH`);
  return {
    url: parsed.href,
    secret,
    method,
    headers,
    timeoutMs: parseDurationMs(options.timeout, "--timeout"),
  };
}

function readConfig(file: string): TestConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const why = error instanceof SyntaxError ? `not JSON: ${error.message}` : ((error as NodeJS.ErrnoException).code ?? String(error));
    throw new UsageError(`cannot read ${file}: ${why}`);
  }
  const entries = (parsed as Partial<TestConfig> | null)?.entries;
  const valid =
    Array.isArray(entries) &&
    entries.length > 0 &&
    entries.every((e) => Array.isArray(e?.events) && (e.delay === undefined || (typeof e.delay === "number" && e.delay >= 0)));
  if (!valid) {
    throw new UsageError(
      `${file} must be an indent-webhook-test config: {"hook": {"url", "secret", "method", "headers"}, "entries": [{"events": [...], "delay": ms}]}`,
    );
  }
  return parsed as TestConfig;
}

/** Sends one body, signed as Indent signs it; a redirect is not followed, as the server does not follow one. */
async function send(target: Target, events: unknown[]): Promise<TestResult> {
  const body = JSON.stringify({ events });
  const event = (events as Array<{ event?: unknown }>).map((e) => e?.event).find((name) => typeof name === "string") ?? "(no event)";
  try {
    const signed = await signIndentWebhook({ secret: target.secret, body });
    const response = await fetch(target.url, {
      method: target.method,
      headers: { ...target.headers, ...signed },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    return judge(event as string, response, await response.text());
  } catch (error) {
    const why =
      (error as Error).name === "TimeoutError" ? `no answer within ${target.timeoutMs} ms` : `could not be reached (${causeOf(error)})`;
    return { event: event as string, status: null, code: null, message: why, ok: false };
  }
}

/** A 2xx whose body has no non-zero `status.code` is taken, as the server judges an Indent integration's answer. */
function judge(event: string, response: Response, text: string): TestResult {
  type Answer = { status?: { code?: unknown; message?: unknown } } | null;
  let answer: Answer = null;
  try {
    answer = JSON.parse(text) as Answer;
  } catch {
    // Not JSON: a 2xx is still taken (Indent's examples answer nothing, or "{}").
  }
  const code = typeof answer?.status?.code === "number" ? answer.status.code : null;
  const stated = typeof answer?.status?.message === "string" ? answer.status.message : "";
  const { status } = response;
  if (status >= 300 && status < 400) {
    const to = response.headers.get("location");
    return { event, status, code, message: `a redirect${to ? ` to ${to}` : ""}, which is not followed`, ok: false };
  }
  const ok = status >= 200 && status < 300 && !code;
  const message = stated || (ok ? "" : oneLine(text, 120) || response.statusText);
  return { event, status, code, message, ok };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
