import { invalidArgument } from "../../domain/errors.js";
import { BLOCK_LABEL, resourceEmail, resourceKey, type CatalogResource, type Resource } from "../../domain/resource.js";
import type { Repositories } from "../../store/store.js";

/**
 * Who each petitioner is, according to the space's catalog, before anything is authorized:
 * the checks that follow (petitioning for oneself or for others, an agent's `acts-for`, who is
 * a party to the petition) see the resolved identity, never the one the request claims.
 *
 * - A petitioner named by an id that is in the catalog is that entry. An email sent beside the
 *   id must be the entry's; an entry without an email is never given the caller's.
 * - A petitioner named by an email (or by an id the catalog does not hold, beside an email) is
 *   the person the catalog holds with that email, whatever id the catalog gives them.
 * - A petitioner the catalog does not hold is taken as sent, when its id and email do not name
 *   two different people.
 */
export async function resolvePetitioners(repos: Repositories, spaceId: string, petitioners: Resource[]): Promise<Resource[]> {
  const byKey = await repos.resources.findByIdentity(spaceId, petitioners.filter((p) => p.id !== undefined).map(resourceKey));
  const byEmail = await peopleByEmail(
    repos,
    spaceId,
    petitioners.filter((p) => !(p.id !== undefined && byKey.has(resourceKey(p)))),
  );
  return petitioners.map((petitioner, i) => {
    const field = `petition.petitioners[${i}]`;
    refuseTwoPeople(petitioner, field);
    const entry = petitioner.id === undefined ? undefined : byKey.get(resourceKey(petitioner));
    if (entry) return entryNamedById(entry, petitioner, field);
    const email = resourceEmail(petitioner);
    const person = email === undefined ? undefined : pickPerson(byEmail.get(email) ?? [], petitioner.kind);
    return person ? catalogView(person) : petitioner;
  });
}

/** The catalog's view of an entry: its identity, name and labels, nothing the request added. */
export function catalogView(entry: CatalogResource): Resource {
  const view: Resource = { kind: entry.kind, id: entry.id, labels: { ...entry.labels, [BLOCK_LABEL]: entry.name } };
  if (entry.displayName !== undefined) view.displayName = entry.displayName;
  if (entry.email !== undefined) view.email = entry.email;
  if (entry.altIds !== undefined) view.altIds = [...entry.altIds];
  return view;
}

/** A petitioner whose id and email (or email-shaped id) are two different addresses names two people. */
function refuseTwoPeople(petitioner: Resource, field: string): void {
  if (petitioner.id === undefined || petitioner.email === undefined) return;
  const idEmail = resourceEmail({ id: petitioner.id });
  if (idEmail !== undefined && idEmail !== petitioner.email.toLowerCase()) {
    throw invalidArgument(
      `${field} names two people: its id ${JSON.stringify(petitioner.id)} and its email ${JSON.stringify(petitioner.email)}; name one person`,
      field,
    );
  }
}

function entryNamedById(entry: CatalogResource, petitioner: Resource, field: string): Resource {
  if (petitioner.email !== undefined) {
    const entryEmail = resourceEmail(entry);
    const sent = petitioner.email.toLowerCase();
    if (entryEmail === undefined) {
      throw invalidArgument(
        `${field}: the catalog's ${entry.kind} ${JSON.stringify(entry.id)} has no email, so the email ${JSON.stringify(petitioner.email)} cannot be checked against it; name the petitioner by its id alone`,
        `${field}.email`,
      );
    }
    if (entryEmail !== sent) {
      throw invalidArgument(
        `${field}: the catalog's ${entry.kind} ${JSON.stringify(entry.id)} is ${entryEmail}, not ${JSON.stringify(petitioner.email)}; its id and email must name the same person`,
        field,
      );
    }
  }
  return catalogView(entry);
}

/** The catalog's people by lower-cased email, for the petitioners not already found by id. */
async function peopleByEmail(repos: Repositories, spaceId: string, petitioners: Resource[]): Promise<Map<string, CatalogResource[]>> {
  const emails = [...new Set(petitioners.flatMap((p) => resourceEmail(p) ?? []))];
  const out = new Map<string, CatalogResource[]>();
  for (const person of await repos.resources.findPeopleByEmail(spaceId, emails)) {
    const email = resourceEmail(person);
    if (email === undefined) continue;
    out.set(email, [...(out.get(email) ?? []), person]);
  }
  return out;
}

/** Among the people with one email, the one of the petitioner's kind, else the first by name. */
function pickPerson(people: CatalogResource[], kind: string): CatalogResource | undefined {
  return people.find((person) => person.kind.toLowerCase() === kind.toLowerCase()) ?? people[0];
}
