import { actorResource, type Actor } from "./actor.js";
import { STILL_GRANTED_BY_LABEL } from "./extension.js";
import { termLabels, type GrantTerm } from "./grant-expiry.js";
import { newId } from "./ids.js";
import type { EventName, Grant, Petition, PetitionEvent } from "./petition.js";
import type { Resource } from "./resource.js";

/** Labels every event of a petition carries so receivers can find the petition. */
export const PETITION_LABEL = "petition";
export const INDENT_PETITION_LABEL = "indent.com/petition";

/**
 * Builds the events a transition appends to a petition's history, numbering them after the
 * petition's last one. The event ids are time-sortable, so history is also ordered by id.
 */
export class EventRecorder {
  readonly events: PetitionEvent[] = [];

  constructor(
    private readonly petition: Pick<Petition, "name">,
    private lastSeq: number,
    private readonly actor: Actor,
    private readonly now: number,
  ) {}

  get seq(): number {
    return this.lastSeq;
  }

  record(event: EventName, details: { reason: string; resources: Resource[]; labels?: Record<string, string> }): PetitionEvent {
    this.lastSeq += 1;
    const recorded: PetitionEvent = {
      id: newId("evt", this.now),
      petitionName: this.petition.name,
      seq: this.lastSeq,
      event,
      actor: actorResource(this.actor),
      reason: details.reason,
      resources: details.resources,
      labels: {
        ...details.labels,
        [PETITION_LABEL]: this.petition.name,
        [INDENT_PETITION_LABEL]: this.petition.name,
      },
      timestamp: this.now,
    };
    this.events.push(recorded);
    return recorded;
  }

  /** One `access/grant` per grant: resources are exactly [petitioner, target], as integrations expect. */
  recordGrants(grants: Grant[], term: GrantTerm, reason: string): PetitionEvent[] {
    return grants.map((grant) =>
      this.record("access/grant", { reason, resources: [grant.petitioner, grant.resource], labels: termLabels(term) }),
    );
  }

  /**
   * One `access/revoke` per ended grant. `stillGrantedBy` names, for a grant whose access
   * another petition still grants, that petition: its revoke says so, and goes to no integration.
   */
  recordRevocations(
    grants: Grant[],
    reason: string,
    stillGrantedBy: (grant: Grant) => string | undefined = () => undefined,
  ): PetitionEvent[] {
    return grants.map((grant) => {
      // The grant's term, as its grant event had it: integrations read both labels on either.
      const labels = termLabels({ expireAt: grant.expireAt, durationMs: grant.expireAt === null ? null : grant.expireAt - grant.startAt });
      const coveredBy = stillGrantedBy(grant);
      if (coveredBy !== undefined) labels[STILL_GRANTED_BY_LABEL] = coveredBy;
      return this.record("access/revoke", { reason, resources: [grant.petitioner, grant.resource], labels });
    });
  }
}
