import type { NamedResource, PetitionEvent, Resource } from "./types.js";

/** An ApplyUpdate request: the trigger (`access/grant` or `access/revoke`), then the petition's request and approval. */
export interface ApplyUpdateBody {
  events: PetitionEvent[];
}

export interface WebhookTestEventsInput {
  /** Who is given access, such as `{ kind: "user", email: "dev@example.com" }`. */
  petitioner: NamedResource;
  /** What access is given to, such as `{ kind: "okta.v1.Group", id: "00g1abcd" }`. */
  resource: NamedResource;
  /** Who approved (default the user approver@example.com). */
  approver?: NamedResource;
  /** How long the grant lasts, as a Go duration such as "1h" or "1h30m" (default 1h). */
  duration?: string;
  /** When it was approved (default now). The request is a minute earlier; the revoke is at the expiry. */
  now?: Date;
}

const MINUTE_MS = 60_000;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const PETITION_LABELS = (petition: string) => ({ petition, "indent.com/petition": petition });
/** Who ends a grant at its expiry: the server's expiry job. */
const EXPIRY_ACTOR: Resource = { kind: "greenlight.v1.System", id: "expiry", displayName: "Greenlight", labels: {} };

/**
 * The two ApplyUpdate bodies an apply webhook gets for one grant, as the server sends them: the
 * grant when a petition is approved, and the revoke when the grant expires ("access grant
 * expired"). Each trigger names exactly `[petitioner, resource]`, carries
 * `indent.com/time/expires` (and, for the grant, `indent.com/time/duration`) and the petition's
 * name in `petition` and `indent.com/petition`; the petition's `access/request` and
 * `access/approve` follow as context. Sign a body with `signIndentWebhook` to send it.
 *
 * @example
 * const { grant, revoke } = webhookTestEvents({
 *   petitioner: { kind: "user", email: "dev@example.com" },
 *   resource: { kind: "okta.v1.Group", id: "00g1abcd", displayName: "Engineering" },
 * });
 * const body = JSON.stringify(grant);
 * await fetch(url, { method: "POST", body, headers: await signIndentWebhook({ secret, body }) });
 */
export function webhookTestEvents(input: WebhookTestEventsInput): { grant: ApplyUpdateBody; revoke: ApplyUpdateBody } {
  const approvedAt = (input.now ?? new Date()).getTime();
  const durationMs = parseDuration(input.duration ?? "1h");
  const expires = new Date(approvedAt + durationMs).toISOString();
  const petitioner = wireResource(input.petitioner);
  const resource = wireResource(input.resource);
  const approver = wireResource(input.approver ?? { kind: "user", email: "approver@example.com" });
  const petition = sampleId("pet", approvedAt - MINUTE_MS);
  const term = { "indent.com/time/duration": goDuration(durationMs), "indent.com/time/expires": expires };
  const event = (at: number, fields: Omit<PetitionEvent, "id" | "timestamp" | "meta">, labels: Record<string, string>) => ({
    id: sampleId("evt", at),
    event: fields.event,
    actor: fields.actor,
    resources: fields.resources,
    timestamp: new Date(at).toISOString(),
    meta: { labels: { ...labels, ...PETITION_LABELS(petition) } },
    reason: fields.reason,
  });

  const reason = "sample approval";
  const request = event(
    approvedAt - MINUTE_MS,
    { event: "access/request", actor: petitioner, resources: [resource], reason: "to test the webhook" },
    {},
  );
  // The server records which steps of the review plan an approval counts for; "0" is the default plan's one step.
  const approve = event(
    approvedAt,
    { event: "access/approve", actor: approver, resources: [petitioner, resource], reason },
    { ...term, "greenlight.dev/review/steps": "0" },
  );
  const grant = event(approvedAt, { event: "access/grant", actor: approver, resources: [petitioner, resource], reason }, term);
  const revoke = event(
    approvedAt + durationMs,
    { event: "access/revoke", actor: EXPIRY_ACTOR, resources: [petitioner, resource], reason: "access grant expired" },
    term,
  );
  return { grant: { events: [grant, request, approve] }, revoke: { events: [revoke, request, approve] } };
}

/** A resource as the server writes it: its fields in the same order, `labels` always present. */
function wireResource(r: NamedResource): Resource {
  const out: Omit<Resource, "labels"> & Partial<Resource> = { kind: r.kind };
  if (r.id !== undefined) out.id = r.id;
  if (r.displayName) out.displayName = r.displayName;
  if (r.email !== undefined) out.email = r.email;
  if (r.altIds && r.altIds.length > 0) out.altIds = r.altIds;
  return { ...out, labels: r.labels ?? {} };
}

function parseDuration(text: string): number {
  if (!/^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/.test(text)) {
    throw new TypeError(`duration must be a Go duration such as "1h" or "1h30m", not ${JSON.stringify(text)}`);
  }
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) ms += Number(amount) * UNIT_MS[unit!]!;
  if (ms < 1000) throw new TypeError(`duration must be at least 1s, not ${JSON.stringify(text)}`);
  return Math.round(ms);
}

/** As Go prints a duration of a second or more: "1h0m0s", "30m0s", "1.5s". */
function goDuration(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const s = `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, "")}s`;
  if (hours > 0) return `${hours}h${minutes}m${s}`;
  return minutes > 0 ? `${minutes}m${s}` : s;
}

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** An id in the server's form (`evt_` and 26 characters of time and randomness), so receivers that check the shape accept it. */
function sampleId(prefix: string, atMs: number): string {
  let time = "";
  for (let rest = atMs, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) time = ALPHABET[rest % 32] + time;
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => ALPHABET[b % 32]).join("");
  return `${prefix}_${time}${random}`;
}
