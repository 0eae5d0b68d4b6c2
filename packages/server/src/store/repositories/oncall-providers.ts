import type { Kysely } from "kysely";
import type { OnCallKind, OnCallProvider, OnCallSettings } from "../../domain/oncall.js";
import { fromJson, toJson } from "../codec.js";
import type { Database } from "../schema.js";
import type { SecretBox } from "../secret-box.js";
import { DestinationRepository, sealedColumnsOf, type DestinationTable } from "./destinations.js";

/** An on-call provider's own columns; its API key is sealed. */
const ON_CALL_PROVIDERS: DestinationTable<"oncall_providers", OnCallProvider> = {
  table: "oncall_providers",
  sealing: "oncall",
  named: true,
  switchable: false,
  sealed: { api_key_sealed: null },
  toRow: (p, seal) => ({
    kind: p.kind,
    base_url: p.baseUrl,
    api_key_sealed: seal("api_key_sealed", p.apiKey),
    settings: toJson(p.settings),
  }),
  fromRow: (row, open) => ({
    kind: row.kind as OnCallKind,
    baseUrl: row.base_url,
    apiKey: open("api_key_sealed"),
    settings: fromJson<OnCallSettings>(row.settings),
  }),
};

/** On-call providers of each space. */
export class OnCallProviderRepository extends DestinationRepository<"oncall_providers", OnCallProvider> {
  constructor(db: Kysely<Database>, box: SecretBox) {
    super(db, box, ON_CALL_PROVIDERS);
  }
}

/** Where on-call providers keep sealed secrets, for sealing them again under a new secret key. */
export const ON_CALL_SECRETS = sealedColumnsOf(ON_CALL_PROVIDERS);
