import { invalidArgument } from "../domain/errors.js";
import { formatLabelSelector, parseLabelSelector } from "../domain/label-selector.js";
import { decodePageToken, encodePageToken, resolvePageSize } from "../domain/paging.js";
import type { ResourceView } from "../domain/resource.js";
import type { WireResource } from "../domain/wire.js";
import type { Context } from "./context.js";
import { queryFingerprint } from "./list-petitions.js";
import { toWireCatalogResource } from "./resource-input.js";

const VIEWS: readonly ResourceView[] = ["requestable", "people"];

/**
 * ListResources. `view=requestable` leaves out people (kinds naming a user, and bots) and
 * resources labelled deactivated; `view=people` keeps only people. A label selector narrows
 * either.
 */
export async function listResources({
  ctx,
  query,
}: {
  ctx: Context;
  query: { labelSelector?: string; view?: string; pageSize?: number; pageToken?: string };
}): Promise<{ resources: WireResource[]; nextPageToken: string }> {
  const view = parseView(query.view);
  const selector = parseLabelSelector(query.labelSelector ?? "");
  const limit = resolvePageSize(query.pageSize);
  const fingerprint = queryFingerprint(["resources", view ?? "", formatLabelSelector(selector)]);
  const after = query.pageToken ? decodePageToken(query.pageToken, fingerprint).after : undefined;
  const page = await ctx.store.read.resources.list(ctx.space.id, { selector, view, after, limit: limit + 1 });
  const hasMore = page.length > limit;
  const resources = hasMore ? page.slice(0, limit) : page;
  return {
    resources: resources.map(toWireCatalogResource),
    nextPageToken: hasMore ? encodePageToken({ after: resources[resources.length - 1]!.name, query: fingerprint }) : "",
  };
}

function parseView(view: string | undefined): ResourceView | undefined {
  if (view === undefined || view === "") return undefined;
  if (!(VIEWS as readonly string[]).includes(view)) {
    throw invalidArgument(`view must be one of ${VIEWS.join(", ")}; got ${JSON.stringify(view)}`, "view");
  }
  return view as ResourceView;
}
