import { indentSigningHeaders } from "./signature.js";

/**
 * Calls a decision webhook (Indent's GetDecision): POST `{events: [access/request]}`, signed,
 * and reads `{status, claims}`. A non-2xx answer, a non-zero `status.code`, a body that is not
 * such JSON, a redirect or a timeout is a failure; the caller treats it as no opinion.
 */
export interface DecisionTarget {
  url: string;
  method: string;
  headers: Record<string, string>;
  secret: string;
  timeoutMs: number;
  /** The fetch to call with; the global one unless the server passes its guarded one. */
  fetch?: (input: string | URL, init?: RequestInit) => Promise<Response>;
}

export class DecisionError extends Error {
  override readonly name = "DecisionError";
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

export async function requestDecision(target: DecisionTarget, requestEvent: unknown, now: Date): Promise<unknown[]> {
  const body = JSON.stringify({ events: [requestEvent] });
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
    if (name === "TimeoutError" || name === "AbortError") throw new DecisionError(`no answer within ${target.timeoutMs} ms`);
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new DecisionError(
      cause === "unexpected redirect" ? "it answered with a redirect, which is not followed" : `unreachable: ${cause}`,
    );
  }
  const text = await readLimited(response);
  if (!response.ok) throw new DecisionError(`it answered HTTP ${response.status}${excerpt(text)}`);
  let parsed: unknown;
  try {
    parsed = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new DecisionError(`its answer is not JSON${excerpt(text)}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new DecisionError("its answer is not a JSON object");
  const { status, claims } = parsed as { status?: { code?: unknown; message?: unknown }; claims?: unknown };
  const code = status?.code ?? 0;
  if (code !== 0)
    throw new DecisionError(`it answered status code ${JSON.stringify(code)}${status?.message ? `: ${String(status.message)}` : ""}`);
  if (claims === undefined || claims === null) return [];
  if (!Array.isArray(claims)) throw new DecisionError("its claims are not a list");
  return claims;
}

async function readLimited(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new DecisionError(`its answer is larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function excerpt(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return "";
  return `: ${trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed}`;
}
