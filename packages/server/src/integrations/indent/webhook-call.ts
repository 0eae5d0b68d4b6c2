import { readBody } from "../outbound/read-body.js";
import { indentSigningHeaders } from "./signature.js";

/**
 * One signed call to an Indent integration that answers at once (a decision or a pull): POST
 * the JSON body with `X-Indent-Timestamp` and `X-Indent-Signature`, and read the answer, a JSON
 * object with an optional `status` (google.rpc.Status). A non-2xx answer, a non-zero
 * `status.code`, a body that is not a JSON object, a redirect (never followed) or a timeout is a
 * failure.
 */
export interface IndentWebhookTarget {
  url: string;
  method: string;
  headers: Record<string, string>;
  secret: string;
  timeoutMs: number;
  /** The fetch to call with; the global one unless the server passes its guarded one. */
  fetch?: (input: string | URL, init?: RequestInit) => Promise<Response>;
}

export class IndentWebhookError extends Error {
  override readonly name = "IndentWebhookError";
}

export async function callIndentWebhook(
  target: IndentWebhookTarget,
  payload: unknown,
  now: Date,
  maxAnswerBytes: number,
): Promise<Record<string, unknown>> {
  const body = JSON.stringify(payload);
  let response: Response;
  try {
    response = await (target.fetch ?? fetch)(target.url, {
      method: target.method,
      headers: {
        ...target.headers,
        "content-type": "application/json",
        "user-agent": "greenlight",
        ...indentSigningHeaders(target.secret, body, now),
      },
      body,
      redirect: "error",
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "TimeoutError" || name === "AbortError") throw new IndentWebhookError(`no answer within ${target.timeoutMs} ms`);
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new IndentWebhookError(
      cause === "unexpected redirect" ? "it answered with a redirect, which is not followed" : `unreachable: ${cause}`,
    );
  }
  const { text, truncated } = await readBody(response, maxAnswerBytes);
  if (truncated) throw new IndentWebhookError(`its answer is larger than ${maxAnswerBytes} bytes`);
  if (!response.ok) throw new IndentWebhookError(`it answered HTTP ${response.status}${excerpt(text)}`);
  let parsed: unknown;
  try {
    parsed = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new IndentWebhookError(`its answer is not JSON${excerpt(text)}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new IndentWebhookError("its answer is not a JSON object");
  const { status } = parsed as { status?: { code?: unknown; message?: unknown } };
  const code = status?.code ?? 0;
  if (code !== 0) {
    throw new IndentWebhookError(`it answered status code ${JSON.stringify(code)}${status?.message ? `: ${String(status.message)}` : ""}`);
  }
  return parsed as Record<string, unknown>;
}

function excerpt(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return "";
  return `: ${trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed}`;
}
