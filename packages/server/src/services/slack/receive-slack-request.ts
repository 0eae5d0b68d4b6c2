import { createHash } from "node:crypto";
import { DomainError } from "../../domain/errors.js";
import type { SlackOperation } from "../../domain/slack.js";
import { verifySlackRequest } from "../../slack/signature.js";
import type { Services } from "../runtime/context.js";
import { resolveSpace } from "../identity/resolve-space.js";
import { enqueueSlackOperation } from "./slack-notify.js";

/**
 * A request from Slack to the interactivity or slash-command endpoint. It must carry the
 * space's app signature over its exact body, made within the last five minutes (checked in
 * constant time); then it is recorded in the outbox and acknowledged at once, well within
 * Slack's three seconds, and acted on by the delivery job. A request seen before (Slack
 * retries, or a replay inside the window) is acknowledged and ignored.
 */
export interface SlackRequest {
  spaceName: string;
  endpoint: "interactions" | "commands";
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** What to answer Slack: nothing (200, empty) or a message only the user sees. */
export type SlackAcknowledgement = { kind: "empty" } | { kind: "ephemeral"; text: string };

const USAGE = [
  "*Greenlight*",
  "`/greenlight request` opens a form to request access",
  "`/greenlight request &lt;search&gt;` lists only resources matching &lt;search&gt;",
].join("\n");

export async function receiveSlackRequest({
  services,
  request,
}: {
  services: Services;
  request: SlackRequest;
}): Promise<SlackAcknowledgement> {
  const unsigned = (why: string) => new DomainError("UNAUTHENTICATED", `the request is not from this space's Slack app: ${why}`);
  let spaceId: string;
  try {
    spaceId = (await resolveSpace(services, request.spaceName)).id;
  } catch {
    // The same answer as a bad signature: the endpoint says nothing about which spaces exist.
    throw unsigned("it is not signed with the app's signing secret");
  }
  const app = await services.store.read.slackApps.get(spaceId);
  if (!app) throw unsigned("it is not signed with the app's signing secret");
  const now = services.clock.now();
  const verdict = verifySlackRequest({
    signingSecret: app.signingSecret,
    timestamp: request.timestamp,
    signature: request.signature,
    body: request.body,
    now,
  });
  if (!verdict.ok) throw unsigned(verdict.reason);

  const form = new URLSearchParams(request.body);
  const operation = toOperation(request.endpoint, form, now);
  if (operation === "ssl_check") return { kind: "empty" };
  if (typeof operation === "string") return { kind: "ephemeral", text: operation };
  if (operation === null) return { kind: "empty" };

  const digest = createHash("sha256").update(request.body).digest("hex");
  await services.store.transaction(async (tx) => {
    if (!(await tx.slack.takeInteraction(spaceId, digest, now))) return; // seen before: acted on once already
    await enqueueSlackOperation(tx, { ...services, now }, spaceId, operation);
  });
  return { kind: "empty" };
}

/** What a request asks for: an interaction to act on, an immediate answer (text), or nothing. */
function toOperation(endpoint: SlackRequest["endpoint"], form: URLSearchParams, now: number): SlackOperation | string | null | "ssl_check" {
  if (endpoint === "commands") {
    if (form.get("ssl_check") === "1") return "ssl_check";
    const text = (form.get("text") ?? "").trim();
    if (text !== "" && !/^request\b/i.test(text)) return USAGE;
    const payload = Object.fromEntries(
      ["command", "text", "user_id", "user_name", "team_id", "channel_id", "trigger_id", "enterprise_id"].flatMap((key) =>
        form.has(key) ? [[key, form.get(key)!]] : [],
      ),
    );
    return { op: "interaction", kind: "command", payload, receivedAt: now };
  }
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(form.get("payload") ?? "") as Record<string, unknown>;
  } catch {
    throw new DomainError("INVALID_ARGUMENT", "the body must be Slack's form with a JSON payload field");
  }
  if (payload === null || typeof payload !== "object") throw new DomainError("INVALID_ARGUMENT", "the payload field must be a JSON object");
  // Slack's legacy verification token and its response URLs are credentials: they are not kept (the delivery log shows what is).
  for (const key of ["token", "response_url", "response_urls"]) delete payload[key];
  if (payload["type"] === "block_actions") return { op: "interaction", kind: "action", payload, receivedAt: now };
  if (payload["type"] === "view_submission") return { op: "interaction", kind: "view", payload, receivedAt: now };
  // Closed modals, message shortcuts and the like need nothing.
  return null;
}
