import { createHash } from "node:crypto";
import { can, isPartyTo } from "../../domain/access.js";
import { actorEmail, actorKey, actorResource } from "../../domain/actor.js";
import { invalidArgument } from "../../domain/errors.js";
import { formatLabelSelector, parseLabelSelector, type LabelSelector } from "../../domain/label-selector.js";
import { decodePageToken, encodePageToken, resolvePageSize } from "../../domain/paging.js";
import type { Petition, PetitionEvent, Phase } from "../../domain/petition.js";
import { eligibility } from "../../domain/reviews.js";
import { toWirePetition } from "../../domain/wire.js";
import type { Context } from "../runtime/context.js";
import { paginate } from "../runtime/paginate.js";
import { planOf, reviewerIdentity } from "./review-plan.js";
import type { PetitionOut } from "../../contract/petitions.js";
import type { ListPetitionsQuery } from "../../contract/petitions.js";

const PHASES: readonly Phase[] = ["open", "granted", "revoked", "closed"];
/** Petitions looked at per request when filtering by reviewer; a page may then hold fewer. */
const SCAN_LIMIT = 1000;
const SCAN_BATCH = 200;

/** A page of the space's petitions, newest first unless `ascending`, each with its history. */
export async function listPetitions({
  ctx,
  query,
}: {
  ctx: Context;
  query: ListPetitionsQuery;
}): Promise<{ petitions: PetitionOut[]; nextPageToken: string }> {
  const selector = parseLabelSelector(query.labelSelector ?? "");
  const phases = parsePhases(query.phase);
  const ascending = query.ascending ?? false;
  const includeDeleted = query.showDeleted ?? false;
  const mine = onlyMe(query.petitioner, "petitioner");
  const filters = [formatLabelSelector(selector), phases.join(","), String(ascending), String(includeDeleted), `petitioner=${mine}`];
  const awaiting = onlyMe(query.awaiting, "awaiting");
  const reviewed = onlyMe(query.reviewedBy, "reviewedBy");
  // A petitioner is indexed by email: an actor without one (the bootstrap admin) is nobody's petitioner.
  const petitioner = mine ? actorEmail(ctx.actor) : undefined;
  if (mine && petitioner === undefined) return { petitions: [], nextPageToken: "" };
  if (awaiting || reviewed) {
    return listForReviewer(ctx, query, { selector, phases, ascending, includeDeleted, awaiting, reviewed, petitioner }, filters);
  }
  const repos = ctx.store.read;
  // Those who may not read every petition list the ones they asked for.
  const partyTo = can(ctx.access, "petitions.read-all") ? undefined : { actorKey: actorKey(ctx.actor), email: actorEmail(ctx.actor) };
  const page = await paginate(
    query,
    filters,
    (after, limit) => repos.petitions.list(ctx.space, { selector, phases, after, limit, ascending, includeDeleted, partyTo, petitioner }),
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

interface ReviewerFilter {
  selector: LabelSelector;
  phases: Phase[];
  ascending: boolean;
  includeDeleted: boolean;
  awaiting: boolean;
  reviewed: boolean;
  /** Only petitions naming this email as a petitioner. */
  petitioner: string | undefined;
}

/**
 * Petitions filtered by what the caller has to do with them as a reviewer. Whether a petition
 * awaits someone depends on its own plan (fixed when it was made), so the petitions are read in
 * order and tested one by one, with the same eligibility rule a review is checked against. At
 * most `SCAN_LIMIT` are read per request: a page may hold fewer than `pageSize` petitions and
 * still have a `nextPageToken`, which goes on from the last one read.
 */
async function listForReviewer(
  ctx: Context,
  query: ListPetitionsQuery,
  filter: ReviewerFilter,
  filters: string[],
): Promise<{ petitions: PetitionOut[]; nextPageToken: string }> {
  const limit = resolvePageSize(query.pageSize);
  const fingerprint = createHash("sha256")
    .update([...filters, `awaiting=${filter.awaiting}`, `reviewedBy=${filter.reviewed}`].join("\u0000"))
    .digest("base64url")
    .slice(0, 16);
  let after = query.pageToken ? decodePageToken(query.pageToken, fingerprint).after : undefined;
  const repos = ctx.store.read;
  // Open petitions only await a review; a phase filter narrows further.
  const phases: Phase[] = filter.awaiting ? (filter.phases.length === 0 || filter.phases.includes("open") ? ["open"] : []) : filter.phases;
  const me = actorResource(ctx.actor);
  const myKey = actorKey(ctx.actor);
  // Groups and roles are the caller's, whatever the petition: read them once.
  const base = await reviewerIdentity(repos, ctx, { petitioners: [], createdBy: "" });
  const isWanted = (petition: Petition, history: PetitionEvent[]): boolean => {
    const decided = history.some((e) => (e.event === "access/approve" || e.event === "access/deny") && isSameActor(e.actor, me));
    if (filter.reviewed && !decided) return false;
    if (!filter.awaiting) return true;
    if (decided || petition.approvals.some((approval) => approval.reviewer === myKey)) return false;
    const reviewer = { ...base, isParty: isPartyTo(ctx.actor, petition, base.catalogIds) };
    return "steps" in eligibility(planOf(petition, ctx.limits).steps, reviewer);
  };
  const matches: Array<{ petition: Petition; events: PetitionEvent[] }> = [];
  let scanned = 0;
  let exhausted = phases.length === 0 && filter.awaiting;
  while (!exhausted && matches.length <= limit && scanned < SCAN_LIMIT) {
    const want = Math.min(SCAN_BATCH, SCAN_LIMIT - scanned);
    const batch = await repos.petitions.list(ctx.space, {
      selector: filter.selector,
      phases,
      after,
      limit: want,
      ascending: filter.ascending,
      includeDeleted: filter.includeDeleted,
      petitioner: filter.petitioner,
    });
    exhausted = batch.length < want;
    const events = await repos.petitions.eventsOf(
      ctx.space.id,
      batch.map((p) => p.name),
    );
    for (const petition of batch) {
      scanned++;
      after = petition.name;
      const history = events.get(petition.name) ?? [];
      if (isWanted(petition, history)) matches.push({ petition, events: history });
      if (matches.length > limit) break;
    }
  }
  const page = matches.slice(0, limit);
  let nextPageToken = "";
  if (matches.length > limit) nextPageToken = encodePageToken({ after: page.at(-1)!.petition.name, query: fingerprint });
  else if (!exhausted && after !== undefined) nextPageToken = encodePageToken({ after, query: fingerprint });
  return { petitions: page.map(({ petition, events }) => toWirePetition(petition, events)), nextPageToken };
}

/** Whether an event's actor (as the wire records it) is this actor. */
function isSameActor(recorded: { kind: string; id?: string; email?: string }, me: { kind: string; id?: string; email?: string }): boolean {
  if (recorded.kind !== me.kind) return false;
  if (me.email !== undefined) return recorded.email?.toLowerCase() === me.email.toLowerCase();
  return me.id !== undefined && recorded.id === me.id;
}

function onlyMe(value: string | undefined, field: string): boolean {
  if (value === undefined || value === "") return false;
  if (value !== "me") throw invalidArgument(`${field} takes only "me" (the caller); got ${JSON.stringify(value)}`, field);
  return true;
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
