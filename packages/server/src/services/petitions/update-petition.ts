import { checkClose, requirePermission } from "../../domain/access.js";
import { actorKey } from "../../domain/actor.js";
import { DomainError, invalidArgument } from "../../domain/errors.js";
import { petitionDedupeKey } from "../../domain/dedupe.js";
import { parseDurationInput, nanosToMillis } from "../../domain/duration.js";
import { EventRecorder } from "../../domain/events.js";
import type { Petition } from "../../domain/petition.js";
import { isClosed } from "../../domain/petition-machine.js";
import { describeLabelChanges, labelChanges, petitionLabels, type LabelChange } from "../../domain/petition-labels.js";
import type { Tx } from "../../store/store.js";
import { applyPetitionAction } from "./apply-petition-action.js";
import { auditPetitionEvents } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";
import { loadVisiblePetition, petitionWithHistory } from "./load-petition.js";
import { normalizeResources } from "./petition-input.js";
import { enqueueSlackChange } from "../slack/slack-notify.js";
import type { PetitionInput, PetitionOut } from "../../contract/petitions.js";

/**
 * UpdatePetition. Indent clients close a petition by reading it, setting
 * `state.status.phase = "closed"` and writing it back, so the body is usually the whole
 * petition as read. What was decided on is fixed once the petition exists: its petitioners,
 * resources, reason, suggested duration and every `greenlight.dev/` and `indent.com/` label
 * (a different ask is a new petition). A body that changes them is refused rather than half
 * applied. What may change: the phase, to closed, and the other labels while the petition is
 * open or granted, each change recorded in its history for reviewers to see.
 */
export async function updatePetition({ ctx, name, input }: { ctx: Context; name: string; input: PetitionInput }): Promise<PetitionOut> {
  if (input.name !== undefined && input.name !== "" && input.name !== name) {
    throw invalidArgument(`petition.name "${input.name}" does not match the petition in the URL ("${name}")`, "petition.name");
  }
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    let petition = await loadVisiblePetition(tx, ctx, name);
    checkUnchangedParties(input, petition);
    checkUnchangedTerms(input, petition);

    const labels = input.meta?.labels;
    const changes = labels === undefined ? [] : labelChanges(petitionLabels(petition), labels, "petition.meta.labels");
    if (changes.length > 0) petition = await relabel(tx, ctx, petition, changes, now);

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

/**
 * Changes the petition's free labels and records the change in its history (and so in the
 * audit log), where reviewers see it beside the request. A closed petition's labels are history.
 */
async function relabel(tx: Tx, ctx: Context, petition: Petition, changes: LabelChange[], now: number): Promise<Petition> {
  if (isClosed(petition.phase)) {
    throw new DomainError(
      "INVALID_TRANSITION",
      `petition ${petition.name} is closed; its labels are part of its history and cannot change`,
    );
  }
  if (petition.createdBy !== actorKey(ctx.actor))
    requirePermission(ctx.access, "petitions.manage", "relabelling petitions you did not create");
  const labels = { ...petition.labels };
  for (const { key, to } of changes) {
    if (to === undefined) delete labels[key];
    else labels[key] = to;
  }
  const recorder = new EventRecorder(petition, petition.lastEventSeq, ctx.actor, now);
  recorder.record("petition/relabel", {
    reason: describeLabelChanges(changes),
    resources: [],
    labels: Object.fromEntries(changes.flatMap(({ key, to }) => (to === undefined ? [] : [[key, to]]))),
  });
  const changed: Petition = { ...petition, labels, version: petition.version + 1, lastEventSeq: recorder.seq, updatedAt: now };
  await tx.petitions.update(changed);
  await tx.petitions.insertEvents(petition.spaceId, recorder.events);
  await auditPetitionEvents(tx, ctx, ctx.space, recorder.events, now);
  tx.afterCommit(() => ctx.notifier.petitionChanged(changed.spaceId, changed.name));
  await enqueueSlackChange(tx, { ...ctx, now }, petition, changed);
  return changed;
}

function checkUnchangedParties(input: PetitionInput, petition: Petition): void {
  if (input.petitioners === undefined && input.resources === undefined) return;
  if (input.petitioners === undefined || input.resources === undefined) {
    throw invalidArgument(
      "send both petition.petitioners and petition.resources unchanged, or neither; they cannot be changed",
      "petition",
    );
  }
  const petitioners = normalizeResources(input.petitioners, "petition.petitioners");
  const resources = normalizeResources(input.resources, "petition.resources");
  if (petitionDedupeKey(petitioners, resources, petition.labels) !== petition.dedupeKey) {
    throw invalidArgument("a petition's petitioners and resources cannot be changed; close it and create a new petition", "petition");
  }
}

/** The reason and the suggested duration were what reviewers read: a body may repeat them, not change them. */
function checkUnchangedTerms(input: PetitionInput, petition: Petition): void {
  if (input.reason !== undefined && input.reason !== petition.reason) {
    throw invalidArgument("a petition's reason cannot be changed once it is made; close it and create a new petition", "petition.reason");
  }
  if (input.defaultDuration !== undefined && input.defaultDuration !== "") {
    const ms = nanosToMillis(parseDurationInput(input.defaultDuration, "petition.defaultDuration"));
    if (ms !== petition.defaultDurationMs) {
      throw invalidArgument(
        "a petition's suggested duration cannot be changed once it is made; close it and create a new petition",
        "petition.defaultDuration",
      );
    }
  }
}
