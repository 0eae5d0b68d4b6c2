import { can, requirePermission } from "../../domain/access.js";
import { invalidArgument } from "../../domain/errors.js";
import { formatLabelSelector, parseLabelSelector } from "../../domain/label-selector.js";
import type { ResourceView } from "../../domain/resource.js";
import type { Context } from "../runtime/context.js";
import { paginate } from "../runtime/paginate.js";
import { toWireCatalogResource } from "./resource-input.js";
import type { ListResourcesQuery, ResourceOut } from "../../contract/resources.js";

const VIEWS: readonly ResourceView[] = ["requestable", "people"];

/**
 * ListResources. `view=requestable` leaves out people (kinds naming a user, and bots) and
 * resources labelled deactivated; `view=people` keeps only people. A label selector and a
 * search (text found in the id, display name, email or name, in any case) and a kind narrow either.
 */
export async function listResources({
  ctx,
  query,
}: {
  ctx: Context;
  query: ListResourcesQuery;
}): Promise<{ resources: ResourceOut[]; nextPageToken: string }> {
  const view = visibleView(ctx, parseView(query.view));
  const selector = parseLabelSelector(query.labelSelector ?? "");
  const search = query.search?.trim() ?? "";
  const kind = query.kind?.trim() ?? "";
  const page = await paginate(
    query,
    ["resources", view ?? "", formatLabelSelector(selector), search, kind],
    (after, limit) => ctx.store.read.resources.list(ctx.space.id, { selector, view, search, kind, after, limit }),
    (resource) => resource.name,
  );
  return { resources: page.items.map(toWireCatalogResource), nextPageToken: page.nextPageToken };
}

/**
 * People and deactivated resources are for reviewers and admins; everyone else sees what may
 * be requested, whatever view they ask for.
 */
function visibleView(ctx: Context, view: ResourceView | undefined): ResourceView | undefined {
  if (can(ctx.access, "resources.read-all")) return view;
  if (view === "people") requirePermission(ctx.access, "resources.read-all", "listing people");
  return "requestable";
}

function parseView(view: string | undefined): ResourceView | undefined {
  if (view === undefined || view === "") return undefined;
  if (!(VIEWS as readonly string[]).includes(view)) {
    throw invalidArgument(`view must be one of ${VIEWS.join(", ")}; got ${JSON.stringify(view)}`, "view");
  }
  return view as ResourceView;
}
