import { createHmac } from "node:crypto";

/**
 * Indent's webhook signature: `X-Indent-Signature` is the lower-case hex HMAC-SHA256, keyed by
 * the webhook's secret, of `v0:{timestamp}:{raw body}`, and `X-Indent-Timestamp` is the RFC
 * 3339 time it was signed. Receivers built with `@indent/webhook` check exactly this.
 */
export function indentSignature(secret: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
}

/** The two signing headers for a body sent now. */
export function indentSigningHeaders(secret: string, body: string, now: Date): Record<string, string> {
  // RFC 3339 without fractions, as Indent's Go signer writes it.
  const timestamp = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  return { "X-Indent-Timestamp": timestamp, "X-Indent-Signature": indentSignature(secret, timestamp, body) };
}
