import { actorEmail, actorKey, type Actor } from "../../domain/actor.js";
import { isPartyTo, type Access } from "../../domain/access.js";
import type { GrantLimits } from "../../domain/grant-expiry.js";
import type { Petition } from "../../domain/petition.js";
import { defaultPlan, type ReviewPlan } from "../../domain/policy-evaluation.js";
import type { ReviewerIdentity } from "../../domain/reviews.js";
import type { Repositories } from "../../store/store.js";

/** The plan a petition was made under; petitions from before policies get the default one. */
export function planOf(petition: Pick<Petition, "reviewPlan">, limits: GrantLimits): ReviewPlan {
  return petition.reviewPlan ?? defaultPlan(limits);
}

/** The actor as a reviewer of this petition: its principal, email, groups, roles, and whether it asked. */
export async function reviewerIdentity(
  repos: Repositories,
  ctx: { actor: Actor; access: Access; space: { id: string } },
  petition: Pick<Petition, "petitioners" | "createdBy">,
): Promise<ReviewerIdentity> {
  const { actor } = ctx;
  const email = actor.type === "bot" ? actor.email?.toLowerCase() : actorEmail(actor);
  const person = email !== undefined && actor.type !== "bot";
  const groups = person ? await repos.groups.namesFor(ctx.space.id, email) : [];
  const catalogIds = person ? await catalogIdsOf(repos, ctx.space.id, email) : new Set<string>();
  const identity: ReviewerIdentity = {
    key: actorKey(actor),
    groups: new Set(groups),
    roles: ctx.access.roles,
    isParty: isPartyTo(actor, petition, catalogIds),
    catalogIds,
  };
  if (email !== undefined) identity.email = email;
  if (actor.type === "serviceAccount") identity.serviceAccount = actor.name;
  if (actor.type === "bot") identity.botNames = [actor.id, actor.email].flatMap((name) => (name ? [name.toLowerCase()] : []));
  return identity;
}

/** Every id and alternative id of the catalog's people with this email. */
async function catalogIdsOf(repos: Repositories, spaceId: string, email: string): Promise<ReadonlySet<string>> {
  const people = await repos.resources.findPeopleByEmail(spaceId, [email]);
  return new Set(people.flatMap((person) => [person.id, ...(person.altIds ?? [])]));
}
