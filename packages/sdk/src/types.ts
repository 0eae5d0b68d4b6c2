/**
 * The wire shapes of Greenlight's API, which are Indent v1's: camelCase, RFC 3339 timestamps,
 * durations as Go duration strings ("3h0m0s") or protobuf JSON ("3600s"). Each is a name for a
 * shape of the server's OpenAPI document (`generated/api.ts`, generated from the server's
 * contract), so what the SDK expects is what the server sends.
 */
import type { components, paths } from "./generated/api.js";

type Schemas = components["schemas"];
/** The query parameters of a GET route. */
export type QueryOf<Path extends keyof paths> = paths[Path] extends { get: { parameters: { query?: infer Query } } }
  ? NonNullable<Query>
  : never;

/** Anything requested, granted or acting: a user, a group, an action, a customer. */
export type Resource = Schemas["Resource"];
/** A resource as a request names it: a kind, and an id or an email; the rest is optional. */
export type ResourceInput = Schemas["ResourceInput"];
/** A resource as the SDK's helpers take one: its kind always, labels only when it has some. */
export type NamedResource = ResourceInput & Pick<Resource, "kind">;

/** A claim or event in a petition's history. */
export type PetitionEvent = Schemas["PetitionEvent"];
export type Petition = Schemas["Petition"];
/** `open` until decided, `granted` while access is held, `closed` once over. */
export type Phase = Petition["state"]["status"]["phase"];
/** Why a closed petition ended. */
export type Outcome = NonNullable<Petition["state"]["status"]["outcome"]>;
/** What a petition needs under its policy, and how far it has come (`state.review`). */
export type Review = Schemas["Review"];
/** A petition as it is sent to be created. */
export type PetitionInput = Schemas["PetitionInput"];
/** What extending a granted petition asks for (`petition.extend`): a reason and a duration, both optional. */
export type ExtendPetitionInput = Schemas["ExtendPetitionInput"];
/** What a petition would get if it were made now (`petition.preview`). */
export type PetitionPreview = Schemas["PetitionPreview"];

export type Grant = Schemas["Grant"];

/** The end of every list page: `""` on the last. */
export type Page = Pick<Schemas["PetitionList"], "nextPageToken">;
export type ListOptions = Pick<QueryOf<"/v1/spaces/{space}/petitions">, "labelSelector" | "pageSize" | "pageToken">;

export type ServiceAccount = Schemas["ServiceAccount"];
export type Token = Schemas["Token"];
/** What the token exchange answers, in both spellings Indent's clients read. */
export type AccessToken = Schemas["AccessToken"];
export type Space = Schemas["Space"];
/** Who holds which role in the space (Indent's IAM policy). */
export type Policy = Schemas["RoleBindings"];
/** A named set of people in a space, bound to roles as `group:<name>`. */
export type Group = Schemas["Group"];
export type GroupInput = Schemas["GroupInput"];

/** A space's access policy: the document in force (null: any admin or reviewer approves) and its version. */
export type AccessPolicy = Schemas["AccessPolicy"];
/** An access policy as written: ordered rules (see the README's policy language). */
export type PolicyDocument = Schemas["PolicyDocument"];
export type PolicyVersion = Schemas["PolicyVersion"];
/** Why a policy does what it does with a petition (`policies:explain`). */
export type PolicyExplanation = Schemas["PolicyExplanation"];
export type ExplainedPlan = Schemas["ExplainedPlan"];
/** What a draft policy would have done with the latest petitions (`policies:replay`). */
export type PolicyReplay = Schemas["PolicyReplay"];

/** A signed approval receipt (`POST …/petitions/{petition}:receipt`); check it with `verifyReceipt` before acting. */
export type ApprovalReceipt = Schemas["ApprovalReceipt"];
/**
 * What the server says of a receipt now: whether the approval it proves still holds. `reason`
 * says why not: `invalid` (not a receipt of this server for this space), `expired` (the
 * receipt's time is up), `revoked` (the petition is no longer granted), `expired_grant` (the
 * grant's time is up).
 */
export type ReceiptStatus = Schemas["ReceiptStatus"];
