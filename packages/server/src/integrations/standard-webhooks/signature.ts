import { createHmac } from "node:crypto";

/**
 * Standard Webhooks 1.0 signing: `webhook-signature` is `v1,` and the base64 HMAC-SHA256, keyed
 * by the secret's bytes (the base64 after `whsec_`), of `{id}.{timestamp}.{body}`, where the
 * timestamp is whole seconds since the epoch, set on each attempt. The id stays the same.
 */
export function standardWebhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64")}`;
}

export function standardWebhookHeaders(secret: string, id: string, body: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": standardWebhookSignature(secret, id, timestamp, body),
  };
}
