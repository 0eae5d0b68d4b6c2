import type { Kysely } from "kysely";
import type { Subscription } from "../../domain/subscription.js";
import { fromJson, toJson, toMillisOrNull } from "../codec.js";
import type { Database } from "../schema.js";
import type { SecretBox } from "../secret-box.js";
import { DestinationRepository, sealedColumnsOf, type DestinationTable } from "./destinations.js";

/** An event subscription's own columns; its signing secret is sealed. */
const SUBSCRIPTIONS: DestinationTable<"subscriptions", Subscription> = {
  table: "subscriptions",
  sealing: "subscription",
  named: true,
  switchable: true,
  sealed: { secret_sealed: null },
  toRow: (s, seal) => ({
    description: s.description,
    url: s.url,
    secret_sealed: seal("secret_sealed", s.secret),
    event_types: toJson(s.eventTypes),
  }),
  fromRow: (row, open) => ({
    description: row.description,
    url: row.url,
    secret: open("secret_sealed"),
    eventTypes: fromJson<string[]>(row.event_types),
  }),
};

/** Event subscriptions of each space. */
export class SubscriptionRepository extends DestinationRepository<"subscriptions", Subscription> {
  constructor(db: Kysely<Database>, box: SecretBox) {
    super(db, box, SUBSCRIPTIONS);
  }

  /** What events are routed by: names, event types and state, without opening secrets. */
  async listTargets(spaceId: string): Promise<Array<Pick<Subscription, "name" | "eventTypes" | "disabledAt">>> {
    const rows = await this.columnsOf(spaceId, ["name", "event_types", "disabled_at"]);
    return rows.map((row) => ({
      name: row.name,
      eventTypes: fromJson<string[]>(row.event_types),
      disabledAt: toMillisOrNull(row.disabled_at),
    }));
  }
}

/** Where subscriptions keep sealed secrets, for sealing them again under a new secret key. */
export const SUBSCRIPTION_SECRETS = sealedColumnsOf(SUBSCRIPTIONS);
