import { ARGUMENTS_LABEL, OPERATION_HASH_LABEL, TOOL_LABEL } from "../../domain/agents.js";
import { DomainError, invalidArgument } from "../../domain/errors.js";
import { audit } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";
import { loadVisiblePetition } from "../petitions/load-petition.js";
import type { ReceiptOut, ReceiptStatusOut } from "../../contract/receipts.js";

/** How long a receipt lives unless asked for less; never past the grant. */
export const DEFAULT_RECEIPT_TTL_MS = 5 * 60_000;
export const MAX_RECEIPT_TTL_MS = 60 * 60_000;

/**
 * A signed, short-lived receipt for a granted petition made for one operation: a JWT (the
 * server's signing key, `typ: greenlight-receipt+jwt`) that binds the operation's hash, the
 * approvers, the policy version and an expiry no later than the grant's. Anyone who may see
 * the petition may ask for one; what it proves is checked offline with `GET /v1/auth/keys`.
 */
export async function createApprovalReceipt({ ctx, name, ttlMs }: { ctx: Context; name: string; ttlMs?: number }): Promise<ReceiptOut> {
  const lifetime = ttlMs ?? DEFAULT_RECEIPT_TTL_MS;
  if (lifetime <= 0 || lifetime > MAX_RECEIPT_TTL_MS) throw invalidArgument("ttl must be more than 0s and at most 1h", "ttl");
  const petition = await loadVisiblePetition(ctx.store.read, ctx, name);
  // Signed from the operation recorded when the petition was made, never from its labels.
  const { operation } = petition;
  if (operation === null) {
    throw invalidArgument(
      `petition ${petition.name} was not made for one operation: petition with the labels ${TOOL_LABEL} and ${ARGUMENTS_LABEL} (the SDK's operationRequest) to get receipts`,
      "petition",
    );
  }
  const { sha256: hash, tool } = operation;
  const now = ctx.clock.now();
  if (petition.phase !== "granted" || (petition.expireAt !== null && petition.expireAt <= now)) {
    throw new DomainError(
      "INVALID_TRANSITION",
      `petition ${petition.name} is not granted (it is ${petition.outcome ?? petition.phase}); only a granted petition has a receipt`,
    );
  }
  // Whole seconds, as the JWT's exp carries it.
  const expiresAt = Math.floor(Math.min(now + lifetime, petition.expireAt ?? Infinity) / 1000) * 1000;
  const events = (await ctx.store.read.petitions.eventsOf(petition.spaceId, [petition.name])).get(petition.name) ?? [];
  const approvers =
    petition.approvals.length > 0
      ? petition.approvals.map((approval) => approval.reviewer)
      : [...new Set(events.filter((event) => event.event === "access/approve").map((event) => principalOf(event.actor)))];
  const receipt = await ctx.signer.signReceipt(
    {
      space: ctx.space.name,
      op: hash,
      tool,
      approvers,
      policyVersion: petition.reviewPlan?.policyVersion ?? null,
      ...(petition.expireAt === null ? {} : { grantExp: Math.floor(petition.expireAt / 1000) }),
    },
    petition.name,
    expiresAt,
  );
  await ctx.store.transaction(async (tx) => {
    await audit(tx, ctx, ctx.space, now, {
      event: "receipt/issued",
      resources: [{ kind: "greenlight.v1.Petition", id: petition.name, labels: {} }],
      labels: { [OPERATION_HASH_LABEL]: hash },
    });
  });
  return { receipt, petitionName: petition.name, operationHash: hash, expireTime: new Date(expiresAt).toISOString() };
}

function principalOf(actor: { kind: string; id?: string; email?: string }): string {
  return actor.email ? `user:${actor.email.toLowerCase()}` : `${actor.kind}:${actor.id ?? ""}`;
}

/**
 * Checks a receipt against the petition it names, now: anyone with a role in the space may ask
 * (the receipt itself is what they present). A receipt for another space is `invalid`, without
 * a look at that space.
 */
export async function checkApprovalReceipt({ ctx, receipt }: { ctx: Context; receipt: string }): Promise<ReceiptStatusOut> {
  const verified = await ctx.signer.verifyReceipt(receipt);
  if ("refused" in verified) return { active: false, reason: verified.refused };
  const { sub, space, op } = verified.claims;
  if (typeof sub !== "string" || typeof op !== "string" || space !== ctx.space.name) return { active: false, reason: "invalid" };
  const petition = await ctx.store.read.petitions.get(ctx.space, sub);
  if (!petition || petition.operation === null || petition.operation.sha256 !== op) return { active: false, reason: "invalid" };
  if (petition.phase !== "granted") return { active: false, reason: "revoked", petitionName: petition.name };
  if (petition.expireAt !== null && petition.expireAt <= ctx.clock.now()) {
    return { active: false, reason: "expired_grant", petitionName: petition.name };
  }
  const exp = verified.claims.exp as number;
  return { active: true, petitionName: petition.name, operationHash: op, expireTime: new Date(exp * 1000).toISOString() };
}
