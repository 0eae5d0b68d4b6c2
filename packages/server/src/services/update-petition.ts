import { checkClose, requirePermission } from "../domain/access.js";
import { actorKey } from "../domain/actor.js";
import { DomainError, invalidArgument } from "../domain/errors.js";
import { petitionDedupeKey } from "../domain/dedupe.js";
import { checkSuggestedDurationLabel } from "../domain/grant-expiry.js";
import { isClosed } from "../domain/petition-machine.js";
import type { WirePetition } from "../domain/wire.js";
import { applyPetitionAction } from "./apply-petition-action.js";
import { audit, auditTarget } from "./audit.js";
import type { Context } from "./context.js";
import { loadVisiblePetition, petitionWithHistory } from "./load-petition.js";
import { normalizeResources, type PetitionInput } from "./petition-input.js";

/**
 * UpdatePetition. Indent clients close a petition by reading it, setting
 * `state.status.phase = "closed"` and writing it back, so the body is usually the whole
 * petition as read. What may change: the phase, to closed, and `meta.labels`. Who and what
 * the petition is for may not change; a body that changes them is refused rather than half
 * applied.
 */
export async function updatePetition({ ctx, name, input }: { ctx: Context; name: string; input: PetitionInput }): Promise<WirePetition> {
  if (input.name !== undefined && input.name !== "" && input.name !== name) {
    throw invalidArgument(`petition.name "${input.name}" does not match the petition in the URL ("${name}")`, "petition.name");
  }
  if (input.meta?.labels !== undefined) checkSuggestedDurationLabel(input.meta.labels, ctx.limits);
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    let petition = await loadVisiblePetition(tx, ctx, name);
    checkUnchangedParties(input, petition.dedupeKey);

    const labels = input.meta?.labels;
    if (labels !== undefined && !sameLabels(labels, petition.labels)) {
      if (petition.createdBy !== actorKey(ctx.actor))
        requirePermission(ctx.access, "petitions.manage", "relabelling petitions you did not create");
      petition = { ...petition, labels: { ...labels }, version: petition.version + 1, updatedAt: now };
      await tx.petitions.update(petition);
      await audit(tx, ctx, ctx.space, now, {
        event: "petition/relabelled",
        resources: [auditTarget("petition", name)],
        labels: { ...labels },
      });
      const changed = petition;
      tx.afterCommit(() => ctx.notifier.petitionChanged(changed.spaceId, changed.name));
    }

    const phase = input.state?.status?.phase;
    if (phase !== undefined && phase !== "" && phase !== petition.phase) {
      if (phase === "closed" || phase === "revoked") {
        if (!isClosed(petition.phase)) {
          checkClose(ctx.access, petition);
          petition = (await applyPetitionAction(tx, { ...ctx, now }, petition, "close", { reason: "" })).petition;
        }
      } else if (phase === "open" || phase === "granted") {
        throw new DomainError(
          "CONFLICT",
          `petition ${name} is ${petition.phase} now, not ${phase}; read it again before updating it, and approve, deny or revoke with a claim`,
        );
      } else {
        throw invalidArgument(
          `state.status.phase can only be set to "closed" here; approve, deny or revoke with a claim (POST .../petitions/${name}/claims)`,
          "petition.state.status.phase",
        );
      }
    }
    return petitionWithHistory(tx, petition);
  });
}

function checkUnchangedParties(input: PetitionInput, dedupeKey: string): void {
  if (input.petitioners === undefined && input.resources === undefined) return;
  if (input.petitioners === undefined || input.resources === undefined) {
    throw invalidArgument(
      "send both petition.petitioners and petition.resources unchanged, or neither; they cannot be changed",
      "petition",
    );
  }
  const petitioners = normalizeResources(input.petitioners, "petition.petitioners");
  const resources = normalizeResources(input.resources, "petition.resources");
  if (petitionDedupeKey(petitioners, resources) !== dedupeKey) {
    throw invalidArgument("a petition's petitioners and resources cannot be changed; close it and create a new petition", "petition");
  }
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
