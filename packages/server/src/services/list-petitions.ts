import { createHash } from "node:crypto";
import { invalidArgument } from "../domain/errors.js";
import { formatLabelSelector, parseLabelSelector } from "../domain/label-selector.js";
import { decodePageToken, encodePageToken, resolvePageSize } from "../domain/paging.js";
import type { Phase } from "../domain/petition.js";
import { toWirePetition, type WirePetition } from "../domain/wire.js";
import type { Context } from "./context.js";

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
  const limit = resolvePageSize(query.pageSize);
  const fingerprint = queryFingerprint([formatLabelSelector(selector), phases.join(","), String(ascending), String(includeDeleted)]);
  const after = query.pageToken ? decodePageToken(query.pageToken, fingerprint).after : undefined;

  const repos = ctx.store.read;
  const page = await repos.petitions.list(ctx.space, { selector, phases, after, limit: limit + 1, ascending, includeDeleted });
  const hasMore = page.length > limit;
  const petitions = hasMore ? page.slice(0, limit) : page;
  const events = await repos.petitions.eventsOf(
    ctx.space.id,
    petitions.map((p) => p.name),
  );
  return {
    petitions: petitions.map((p) => toWirePetition(p, events.get(p.name) ?? [])),
    nextPageToken: hasMore ? encodePageToken({ after: petitions[petitions.length - 1]!.name, query: fingerprint }) : "",
  };
}

export function queryFingerprint(parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 16);
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
