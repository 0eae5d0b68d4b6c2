import type { Kysely } from "kysely";
import type { SqlDialect } from "./dialect.js";
import { AuditRepository } from "./repositories/audit.js";
import { AuditInputRepository } from "./repositories/audit-inputs.js";
import { MetricsRepository } from "./repositories/metrics.js";
import { GrantRepository } from "./repositories/grants.js";
import { GroupRepository } from "./repositories/groups.js";
import { IdempotencyRepository } from "./repositories/idempotency.js";
import { OnCallProviderRepository } from "./repositories/oncall-providers.js";
import { OutboxRepository } from "./repositories/outbox.js";
import { PetitionRepository } from "./repositories/petitions.js";
import { PolicyRepository } from "./repositories/policies.js";
import { ResourceRepository } from "./repositories/resources.js";
import { RoleBindingRepository } from "./repositories/role-bindings.js";
import { ServiceAccountRepository } from "./repositories/service-accounts.js";
import { SealedSecretRepository } from "./repositories/sealed-secrets.js";
import { SettingsRepository } from "./repositories/settings.js";
import { SigningKeyRepository } from "./repositories/signing-keys.js";
import { SpaceRepository } from "./repositories/spaces.js";
import { PullPolicyRepository } from "./repositories/pull-policies.js";
import { SlackRepository } from "./repositories/slack.js";
import { SlackAppRepository } from "./repositories/slack-apps.js";
import { WebSessionRepository } from "./repositories/web-sessions.js";
import { PasskeyRepository } from "./repositories/passkeys.js";
import { SubscriptionRepository } from "./repositories/subscriptions.js";
import { TokenRepository } from "./repositories/tokens.js";
import { WebhookPolicyRepository } from "./repositories/webhook-policies.js";
import { WebhookRepository } from "./repositories/webhooks.js";
import type { Database } from "./schema.js";
import type { SecretBox } from "./secret-box.js";

/** Every repository, bound to one connection or transaction. */
export interface Repositories {
  spaces: SpaceRepository;
  petitions: PetitionRepository;
  grants: GrantRepository;
  resources: ResourceRepository;
  idempotency: IdempotencyRepository;
  settings: SettingsRepository;
  roleBindings: RoleBindingRepository;
  groups: GroupRepository;
  serviceAccounts: ServiceAccountRepository;
  tokens: TokenRepository;
  signingKeys: SigningKeyRepository;
  policies: PolicyRepository;
  onCallProviders: OnCallProviderRepository;
  webhooks: WebhookRepository;
  webhookPolicies: WebhookPolicyRepository;
  outbox: OutboxRepository;
  subscriptions: SubscriptionRepository;
  slackApps: SlackAppRepository;
  slack: SlackRepository;
  webSessions: WebSessionRepository;
  passkeys: PasskeyRepository;
  pullPolicies: PullPolicyRepository;
  audit: AuditRepository;
  auditInputs: AuditInputRepository;
  metrics: MetricsRepository;
  sealedSecrets: SealedSecretRepository;
}

/** The repositories of one transaction, plus a way to act once it has committed. */
export interface Tx extends Repositories {
  /** Runs `fn` after the transaction commits (never if it rolls back): wake waiters, nudge jobs. */
  afterCommit(fn: () => void): void;
}

export interface Store {
  readonly dialect: SqlDialect;
  /** The store itself, or for a view of a transaction (`joinTransaction`), the store beneath. */
  readonly base: Store;
  /** Repositories that read committed state only. */
  readonly read: Repositories;
  /**
   * Runs `fn` in one transaction: all of its writes commit together or none do, and the
   * returned promise settles only once the commit is durable. Transactions run one after
   * another, so code inside one must not start another on the same store (it would wait for
   * itself): hand inner code `joinTransaction(store, tx)` instead.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Where the engine allows, removes deleted rows from the database's files too (SQLite: they
   * are zeroed and the log truncated). PostgreSQL's dead rows and WAL archive are beyond reach.
   */
  scrubDeleted?(): Promise<void>;
  /**
   * Where replicas share the database (PostgreSQL): calls `onChange` for each petition another
   * replica changes, and `onReconnect` when changes may have gone unheard. A store no other
   * server writes to (SQLite) has nothing to listen to.
   */
  listenForPetitionChanges?(onChange: (spaceId: string, name: string) => void, onReconnect: () => void): void;
  /** Counts for metrics: transactions committed and, where transactions race, those run again. */
  readonly stats?: { readonly transactions: number; readonly retries?: number };
}

/**
 * The store as seen from inside the transaction `tx`: its transactions join `tx` (they commit
 * or roll back with it) and its reads see `tx`'s writes. This is how a wrapper such as the
 * Idempotency-Key handling runs a service inside its own transaction, without the service
 * knowing. (Passing it explicitly, rather than finding the open transaction through
 * AsyncLocalStorage, keeps async hooks off every promise, which cost about a tenth of the
 * write throughput.)
 */
export function joinTransaction(store: Store, tx: Tx): Store {
  return {
    dialect: store.dialect,
    base: store.base,
    read: tx,
    transaction: (fn) => fn(tx),
    close: () => store.close(),
  };
}

export function repositoriesFor(db: Kysely<Database>, dialect: SqlDialect, box: SecretBox): Repositories {
  return {
    spaces: new SpaceRepository(db),
    petitions: new PetitionRepository(db, dialect),
    grants: new GrantRepository(db, dialect),
    resources: new ResourceRepository(db, dialect),
    idempotency: new IdempotencyRepository(db),
    settings: new SettingsRepository(db),
    roleBindings: new RoleBindingRepository(db),
    groups: new GroupRepository(db),
    serviceAccounts: new ServiceAccountRepository(db),
    tokens: new TokenRepository(db),
    signingKeys: new SigningKeyRepository(db, box),
    policies: new PolicyRepository(db),
    onCallProviders: new OnCallProviderRepository(db, box),
    webhooks: new WebhookRepository(db, box),
    webhookPolicies: new WebhookPolicyRepository(db),
    outbox: new OutboxRepository(db),
    subscriptions: new SubscriptionRepository(db, box),
    pullPolicies: new PullPolicyRepository(db),
    slackApps: new SlackAppRepository(db, box),
    slack: new SlackRepository(db),
    webSessions: new WebSessionRepository(db, box),
    passkeys: new PasskeyRepository(db),
    audit: new AuditRepository(db, box),
    auditInputs: new AuditInputRepository(db),
    metrics: new MetricsRepository(db),
    sealedSecrets: new SealedSecretRepository(db, box),
  };
}
