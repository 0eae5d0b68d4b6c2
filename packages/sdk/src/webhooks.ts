/**
 * Checking that a webhook came from Greenlight (or from Indent), for the receiving side. Three
 * things Indent's own `verify()` did not do: the signature is compared in constant time (by
 * WebCrypto's HMAC verify), the timestamp must be recent, and the signature is checked over
 * the raw body exactly as received, never over a re-serialised object.
 */

/**
 * Why a webhook was refused: not signed, signed with another secret, or too old.
 *
 * @example
 * try { await verifyWebhook({ secret, headers, body }) } catch (err) {
 *   if (err instanceof WebhookVerificationError) return new Response(err.message, { status: 401 });
 *   throw err;
 * }
 */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
}

export interface VerifyWebhookInput {
  /** The webhook's secret. For Standard Webhooks, `whsec_…` (base64 after the prefix). */
  secret: string;
  /** The request's headers, as `Headers` or a plain object (names in any case). */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The raw request body, exactly as received. */
  body: string | Uint8Array;
  /** How far the timestamp may be from now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The time to check against (default now). */
  now?: Date;
}

const DEFAULT_TOLERANCE_S = 300;
const encoder = new TextEncoder();

/**
 * Verifies a webhook signed in Indent's scheme (`X-Indent-Timestamp`, `X-Indent-Signature`: hex
 * HMAC-SHA256 of `v0:<timestamp>:<body>`) or in Standard Webhooks' (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`: `v1,<base64>` of HMAC-SHA256 over
 * `<id>.<timestamp>.<body>`). Resolves if it is genuine and recent; rejects with
 * `WebhookVerificationError` saying what is wrong otherwise.
 *
 * @example
 * // In a route handler that has the raw body:
 * await verifyWebhook({ secret: process.env.GREENLIGHT_WEBHOOK_SECRET!, headers: req.headers, body: rawBody });
 */
export async function verifyWebhook(input: VerifyWebhookInput): Promise<void> {
  const header = headerReader(input.headers);
  const body = typeof input.body === "string" ? input.body : new TextDecoder().decode(input.body);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_S;
  const now = (input.now ?? new Date()).getTime();

  const indentSignature = header("x-indent-signature");
  if (indentSignature !== undefined) {
    const timestamp = header("x-indent-timestamp");
    if (timestamp === undefined) throw new WebhookVerificationError("X-Indent-Timestamp is missing");
    checkFresh(Date.parse(timestamp), now, tolerance, timestamp);
    const signature = fromHex(indentSignature.trim());
    if (!signature || !(await hmacVerifies(encoder.encode(input.secret), signature, `v0:${timestamp}:${body}`))) {
      throw new WebhookVerificationError("X-Indent-Signature does not match the body; check the secret, and verify the raw body");
    }
    return;
  }

  const standardSignature = header("webhook-signature");
  if (standardSignature !== undefined) {
    const id = header("webhook-id");
    const timestamp = header("webhook-timestamp");
    if (id === undefined || timestamp === undefined) throw new WebhookVerificationError("webhook-id or webhook-timestamp is missing");
    checkFresh(/^\d+$/.test(timestamp) ? Number(timestamp) * 1000 : Number.NaN, now, tolerance, timestamp);
    const key = input.secret.startsWith("whsec_") ? fromBase64(input.secret.slice("whsec_".length)) : encoder.encode(input.secret);
    if (!key) throw new WebhookVerificationError("the secret is not valid base64 after whsec_");
    for (const entry of standardSignature.split(" ")) {
      const [version, value] = entry.split(",", 2);
      const signature = version === "v1" && value ? fromBase64(value) : undefined;
      if (signature && (await hmacVerifies(key, signature, `${id}.${timestamp}.${body}`))) return;
    }
    throw new WebhookVerificationError("no webhook-signature matches the body; check the secret, and verify the raw body");
  }

  throw new WebhookVerificationError("the request is not signed: neither X-Indent-Signature nor webhook-signature is present");
}

/**
 * The headers that sign `body` in Indent's scheme, for tests and for services that send
 * Indent-style webhooks themselves.
 *
 * @example
 * const headers = await signIndentWebhook({ secret: "secret_123", body, timestamp: new Date().toISOString() });
 */
export async function signIndentWebhook(input: { secret: string; body: string; timestamp?: string }): Promise<Record<string, string>> {
  const timestamp = input.timestamp ?? new Date().toISOString();
  const key = await crypto.subtle.importKey("raw", encoder.encode(input.secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`v0:${timestamp}:${input.body}`)));
  return { "x-indent-timestamp": timestamp, "x-indent-signature": [...mac].map((b) => b.toString(16).padStart(2, "0")).join("") };
}

function checkFresh(atMs: number, nowMs: number, toleranceS: number, text: string): void {
  if (Number.isNaN(atMs)) throw new WebhookVerificationError(`the timestamp ${JSON.stringify(text.slice(0, 40))} is not a valid time`);
  if (Math.abs(nowMs - atMs) > toleranceS * 1000) {
    throw new WebhookVerificationError(`the timestamp is more than ${toleranceS}s from now; a replay, or a clock that is off`);
  }
}

/** HMAC-SHA256 checked by WebCrypto, which compares in constant time. */
async function hmacVerifies(secret: Uint8Array, signature: Uint8Array, message: string): Promise<boolean> {
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  return crypto.subtle.verify("HMAC", key, signature, encoder.encode(message));
}

function headerReader(headers: VerifyWebhookInput["headers"]): (name: string) => string | undefined {
  if (typeof (headers as Headers).get === "function") {
    return (name) => (headers as Headers).get(name) ?? undefined;
  }
  const lower = new Map(Object.entries(headers as Record<string, string | string[] | undefined>).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => {
    const value = lower.get(name);
    return Array.isArray(value) ? value[0] : value;
  };
}

function fromHex(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) return undefined;
  return Uint8Array.from(text.match(/../g)!.map((pair) => parseInt(pair, 16)));
}

function fromBase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
