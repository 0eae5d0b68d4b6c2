import type { Petition } from "@greenlight/sdk";
import { requesters } from "./words.js";

/** How the reviewer narrows and orders what awaits them. Empty strings keep everything. */
export interface InboxFilter {
  kind: string;
  risk: "" | "high" | "not-high";
  requester: string;
  /** Only petitions at least this old. */
  olderThan: "" | "1h" | "1d";
  order: "newest" | "oldest";
}

export const NO_FILTER: InboxFilter = { kind: "", risk: "", requester: "", olderThan: "", order: "newest" };

const AGE_MS: Record<InboxFilter["olderThan"], number> = { "": 0, "1h": 3_600_000, "1d": 86_400_000 };

/** The petitions the filter keeps, in its order, as of `now` (milliseconds). */
export function filterInbox(petitions: Petition[], filter: InboxFilter, now: number): Petition[] {
  const kept = petitions.filter(
    (p) =>
      (!filter.kind || p.resources.some((r) => r.kind === filter.kind)) &&
      (!filter.risk || (p.state.review?.highRisk === true) === (filter.risk === "high")) &&
      (!filter.requester || requesters(p).includes(filter.requester)) &&
      now - Date.parse(p.meta.createTime) >= AGE_MS[filter.olderThan],
  );
  const sign = filter.order === "oldest" ? 1 : -1;
  return kept.sort((a, b) => sign * (Date.parse(a.meta.createTime) - Date.parse(b.meta.createTime)) || a.name.localeCompare(b.name));
}

/** The kinds of resource and the requesters among the petitions, sorted: the filters' choices. */
export function choicesOf(petitions: Petition[]): { kinds: string[]; requesters: string[] } {
  const sorted = (values: string[]) => [...new Set(values)].sort();
  return {
    kinds: sorted(petitions.flatMap((p) => p.resources.map((r) => r.kind))),
    requesters: sorted(petitions.flatMap(requesters)),
  };
}
