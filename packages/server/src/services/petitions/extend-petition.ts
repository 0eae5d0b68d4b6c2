import { DomainError } from "../../domain/errors.js";
import { defaultExtensionReason, EXTENDS_LABEL } from "../../domain/extension.js";
import type { Petition } from "../../domain/petition.js";
import { isFixedLabel } from "../../domain/petition-labels.js";
import type { Resource } from "../../domain/resource.js";
import type { Context } from "../runtime/context.js";
import { createPetition, preparePetition, type CreatePetitionResult, type PreparedPetition } from "./create-petition.js";
import { loadPetition, loadVisiblePetition } from "./load-petition.js";
import type { ExtendPetitionBody, PetitionInput } from "../../contract/petitions.js";
import type { ResourceInput } from "../../contract/resources.js";

/** An extension asked for, checked and prepared outside any transaction (see `preparePetition`). */
export interface PreparedExtension {
  input: PetitionInput;
  serverLabels: Record<string, string>;
  prepared: PreparedPetition;
}

/**
 * First half of extending a petition, outside any transaction: the petition must be one the
 * caller may see, and granted; the extension is then prepared as creating it would be, the
 * caller allowed to make it as it would be to create it (for itself, for others with the role
 * to, or as an agent for the people it acts for).
 */
export async function prepareExtension({
  ctx,
  name,
  body,
}: {
  ctx: Context;
  name: string;
  body: ExtendPetitionBody;
}): Promise<PreparedExtension> {
  const extended = await loadVisiblePetition(ctx.store.read, ctx, name);
  checkExtendable(extended, ctx.clock.now());
  const input = extensionInput(extended, body);
  const serverLabels = { [EXTENDS_LABEL]: extended.name };
  return { input, serverLabels, prepared: await preparePetition({ ctx, input, serverLabels }) };
}

/**
 * Extends a granted petition: a new petition for the same access (same petitioners, same
 * resources, the free labels), labelled with the petition it extends, for the duration asked,
 * and decided under the policy like any petition (a rule may approve it at once). Once granted,
 * its grants start then; the extended petition's end at their own time, and no revoke goes to
 * integrations for access the extension still grants. Asking again while the extension is open
 * (or granted) returns it (`created: false`).
 */
export async function extendPetition({
  ctx,
  name,
  body,
  prepared,
}: {
  ctx: Context;
  name: string;
  body: ExtendPetitionBody;
  prepared?: PreparedExtension;
}): Promise<CreatePetitionResult> {
  const ready = prepared ?? (await prepareExtension({ ctx, name, body }));
  return createPetition({
    ctx,
    input: ready.input,
    prepared: ready.prepared,
    serverLabels: ready.serverLabels,
    // The petition may have ended since it was read.
    precondition: async (tx, now) => checkExtendable(await loadPetition(tx, ctx.space, name), now),
  });
}

function checkExtendable(petition: Petition, now: number): void {
  const lapsed = petition.phase === "granted" && petition.expireAt !== null && petition.expireAt <= now;
  if (petition.phase === "granted" && !lapsed) return;
  const state = lapsed ? "granted, but its access has expired" : `${petition.phase}${petition.outcome ? ` (${petition.outcome})` : ""}`;
  throw new DomainError(
    "INVALID_TRANSITION",
    `petition ${petition.name} is ${state}; only a granted petition can be extended, so create a new petition for the access instead`,
  );
}

/** The petition an extension makes: the same access, the free labels, the reason and duration asked. */
function extensionInput(extended: Petition, body: ExtendPetitionBody): PetitionInput {
  const labels = Object.fromEntries(Object.entries(extended.labels).filter(([key]) => !isFixedLabel(key)));
  return {
    petitioners: extended.petitioners.map(asInput),
    resources: extended.resources.map(asInput),
    reason: body.reason?.trim() ? body.reason : defaultExtensionReason(extended.name),
    meta: { labels },
    ...(body.duration !== undefined && body.duration !== "" ? { defaultDuration: body.duration } : {}),
  };
}

function asInput(resource: Resource): ResourceInput {
  return { ...resource, labels: { ...resource.labels } };
}
