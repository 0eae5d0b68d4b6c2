import { checkPetitioners } from "../domain/access.js";
import { actorKey, actorResource } from "../domain/actor.js";
import { EventRecorder } from "../domain/events.js";
import { petitionDedupeKey } from "../domain/dedupe.js";
import { newId } from "../domain/ids.js";
import type { Petition } from "../domain/petition.js";
import { BLOCK_LABEL, resourceKey, type CatalogResource, type Resource } from "../domain/resource.js";
import { toWirePetition, type WirePetition } from "../domain/wire.js";
import type { Tx } from "../store/store.js";
import { applyPetitionAction } from "./apply-petition-action.js";
import type { Context } from "./context.js";
import { checkNewPetition, type PetitionInput } from "./petition-input.js";

export interface CreatePetitionResult {
  petition: WirePetition;
  /** False when an identical open or granted petition was returned instead. */
  created: boolean;
}

/**
 * Creates a petition, or returns the open or granted one that asks for the same access (same
 * petitioners, same resources): asking twice is one request, and access already granted comes
 * back granted at once.
 */
export async function createPetition({ ctx, input }: { ctx: Context; input: PetitionInput }): Promise<CreatePetitionResult> {
  const checked = checkNewPetition(withDefaultPetitioner(ctx, input), ctx.limits);
  checkPetitioners(ctx.access, checked.petitioners);
  const dedupeKey = petitionDedupeKey(checked.petitioners, checked.resources);
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    const existing = await findLiveDuplicate(tx, ctx, dedupeKey, now);
    if (existing) {
      const events = await tx.petitions.eventsOf(ctx.space.id, [existing.name]);
      return { petition: toWirePetition(existing, events.get(existing.name) ?? []), created: false };
    }

    const catalog = await tx.resources.findByIdentity(ctx.space.id, [...checked.petitioners, ...checked.resources].map(resourceKey));
    const petition: Petition = {
      spaceId: ctx.space.id,
      spaceName: ctx.space.name,
      name: newId("pet", now),
      petitioners: withCatalogDetails(catalog, checked.petitioners),
      resources: withCatalogDetails(catalog, checked.resources),
      reason: checked.reason,
      labels: checked.labels,
      defaultDurationMs: checked.defaultDurationMs,
      phase: "open",
      outcome: null,
      version: 1,
      lastEventSeq: 0,
      dedupeKey,
      createdAt: now,
      updatedAt: now,
      startAt: null,
      expireAt: null,
      endAt: null,
      deletedAt: null,
      createdBy: actorKey(ctx.actor),
    };
    const recorder = new EventRecorder(petition, 0, ctx.actor, now);
    recorder.record("access/request", { reason: petition.reason, resources: petition.resources });
    petition.lastEventSeq = recorder.seq;
    await tx.petitions.insert(petition);
    await tx.petitions.insertEvents(ctx.space.id, recorder.events);
    return { petition: toWirePetition(petition, recorder.events), created: true };
  });
}

/**
 * Without petitioners, the caller petitions for itself, as Indent's client does (it takes the
 * petitioner from the token's `sub`).
 */
function withDefaultPetitioner(ctx: Context, input: PetitionInput): PetitionInput {
  if (input.petitioners !== undefined && input.petitioners.length > 0) return input;
  const { actor } = ctx;
  if (actor.type === "user") return { ...input, petitioners: [{ kind: "user", email: actor.email }] };
  if (actor.type === "serviceAccount") return { ...input, petitioners: [actorResource(actor)] };
  return input;
}

/**
 * The open or granted petition for the same access. A granted one whose time is up but which
 * the expiry job has not reached yet is expired here first, so it is not handed out as live.
 */
async function findLiveDuplicate(tx: Tx, ctx: Context, dedupeKey: string, now: number): Promise<Petition | undefined> {
  const existing = await tx.petitions.findActiveByDedupeKey(ctx.space, dedupeKey);
  if (!existing) return undefined;
  if (existing.phase === "granted" && existing.expireAt !== null && existing.expireAt <= now) {
    await applyPetitionAction(tx, { ...ctx, actor: { type: "system", job: "expiry" }, now }, existing, "expire", { reason: "" });
    return undefined;
  }
  return existing;
}

/**
 * Resources that are in the space's catalog take the catalog's name, email and labels:
 * policies and reviewers must see the catalog's attributes, not ones the requester wrote.
 */
function withCatalogDetails(catalog: Map<string, CatalogResource>, resources: Resource[]): Resource[] {
  if (catalog.size === 0) return resources;
  return resources.map((resource) => {
    const entry = catalog.get(resourceKey(resource));
    if (!entry) return resource;
    // The catalog keeps a resource's name apart from its labels; on the wire it is the block label.
    const merged: Resource = { kind: entry.kind, id: entry.id, labels: { ...resource.labels, ...entry.labels, [BLOCK_LABEL]: entry.name } };
    const displayName = entry.displayName ?? resource.displayName;
    const email = entry.email ?? resource.email;
    const altIds = entry.altIds ?? resource.altIds;
    if (displayName !== undefined) merged.displayName = displayName;
    if (email !== undefined) merged.email = email;
    if (altIds !== undefined) merged.altIds = altIds;
    return merged;
  });
}
