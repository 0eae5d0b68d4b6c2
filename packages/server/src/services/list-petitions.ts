import { can } from "../domain/access.js";
import { actorEmail, actorKey } from "../domain/actor.js";
import { invalidArgument } from "../domain/errors.js";
import { formatLabelSelector, parseLabelSelector } from "../domain/label-selector.js";
import type { Phase } from "../domain/petition.js";
import { toWirePetition, type WirePetition } from "../domain/wire.js";
import type { Context } from "./context.js";
import { paginate } from "./paginate.js";

export interface ListPetitionsQuery {
  labelSelector?: string;
  pageSize?: number;
  pageToken?: string;
  ascending?: boolean;
  /** Only petitions in these phases (comma-separated on the wire). */
  phase?: string;
  showDeleted?: boolean;
}

const PHASES: readonly Phase[] = ["open", "granted", "revoked", "closed"];

/** A page of the space's petitions, newest first unless `ascending`, each with its history. */
export async function listPetitions({
  ctx,
  query,
}: {
  ctx: Context;
  query: ListPetitionsQuery;
}): Promise<{ petitions: WirePetition[]; nextPageToken: string }> {
  const selector = parseLabelSelector(query.labelSelector ?? "");
  const phases = parsePhases(query.phase);
  const ascending = query.ascending ?? false;
  const includeDeleted = query.showDeleted ?? false;
  const repos = ctx.store.read;
  // Those who may not read every petition list the ones they asked for.
  const partyTo = can(ctx.access, "petitions.read-all") ? undefined : { actorKey: actorKey(ctx.actor), email: actorEmail(ctx.actor) };
  const page = await paginate(
    query,
    [formatLabelSelector(selector), phases.join(","), String(ascending), String(includeDeleted)],
    (after, limit) => repos.petitions.list(ctx.space, { selector, phases, after, limit, ascending, includeDeleted, partyTo }),
    (petition) => petition.name,
  );
  const events = await repos.petitions.eventsOf(
    ctx.space.id,
    page.items.map((p) => p.name),
  );
  return {
    petitions: page.items.map((p) => toWirePetition(p, events.get(p.name) ?? [])),
    nextPageToken: page.nextPageToken,
  };
}

function parsePhases(text: string | undefined): Phase[] {
  if (!text) return [];
  return text.split(",").map((raw) => {
    const phase = raw.trim() as Phase;
    if (!PHASES.includes(phase))
      throw invalidArgument(`phase must be a comma-separated list of ${PHASES.join(", ")}; got ${JSON.stringify(raw)}`, "phase");
    return phase;
  });
}
