import type { Petition, PetitionInput, Resource, ResourceInput } from "@greenlight/sdk";
import { INDEFINITE_LABEL } from "./durations.js";

/** The access a petition asks for: its petitioners and resources, by what names them. */
export function sameAccess(petition: Petition): PetitionInput {
  return { petitioners: petition.petitioners.map(identityOf), resources: petition.resources.map(identityOf) };
}

/** The request an ended petition made: the same petitioners, resources, reason and duration. */
export function sameRequest(petition: Petition): PetitionInput {
  const input: PetitionInput = { ...sameAccess(petition), reason: petition.reason };
  if (petition.defaultDuration) input.defaultDuration = petition.defaultDuration;
  if (petition.meta.labels?.[INDEFINITE_LABEL] === "true") input.meta = { labels: { [INDEFINITE_LABEL]: "true" } };
  return input;
}

/** A resource by what names it (the catalog adds the rest again). */
function identityOf(resource: Resource): ResourceInput {
  return {
    kind: resource.kind,
    ...(resource.id ? { id: resource.id } : {}),
    ...(resource.email ? { email: resource.email } : {}),
  };
}
