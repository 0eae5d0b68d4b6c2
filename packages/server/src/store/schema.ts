/**
 * The tables, as Kysely sees them. Timestamps are integer milliseconds since the epoch (bigint
 * on PostgreSQL, returned as strings there, so repositories convert with `Number`). JSON
 * columns are text on SQLite and jsonb on PostgreSQL; repositories read both forms.
 */
export interface Database {
  spaces: SpacesTable;
  petitions: PetitionsTable;
  petition_events: PetitionEventsTable;
  grants: GrantsTable;
  resources: ResourcesTable;
  idempotency_keys: IdempotencyKeysTable;
  settings: SettingsTable;
  role_bindings: RoleBindingsTable;
  space_groups: SpaceGroupsTable;
  group_members: GroupMembersTable;
  service_accounts: ServiceAccountsTable;
  tokens: TokensTable;
  signing_keys: SigningKeysTable;
  token_signing_keys: TokenSigningKeysTable;
  petition_petitioners: PetitionPetitionersTable;
  policies: PoliciesTable;
  oncall_providers: OnCallProvidersTable;
  webhooks: WebhooksTable;
  webhook_policies: WebhookPoliciesTable;
  outbox: OutboxTable;
  delivery_attempts: DeliveryAttemptsTable;
  subscriptions: SubscriptionsTable;
  pull_policies: PullPoliciesTable;
  slack_apps: SlackAppsTable;
  slack_messages: SlackMessagesTable;
  slack_interactions: SlackInteractionsTable;
  web_sessions: WebSessionsTable;
  web_logins: WebLoginsTable;
  sign_in_links: SignInLinksTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
  audit_chains: AuditChainsTable;
  audit_events: AuditEventsTable;
  audit_event_resources: AuditEventResourcesTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_keys: AuditKeysTable;
  audit_inputs: AuditInputsTable;
}

type Millis = number | string;
type JsonColumn = string | unknown;

export interface SpacesTable {
  id: string;
  name: string;
  display_name: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface PetitionsTable {
  space_id: string;
  name: string;
  phase: string;
  outcome: string | null;
  reason: string;
  petitioners: JsonColumn;
  resources: JsonColumn;
  labels: JsonColumn;
  default_duration_ms: Millis | null;
  dedupe_key: string;
  version: number;
  last_event_seq: number;
  created_at: Millis;
  updated_at: Millis;
  start_at: Millis | null;
  expire_at: Millis | null;
  end_at: Millis | null;
  deleted_at: Millis | null;
  /** The actor key of whoever created it (`user:…`, `serviceAccount:…`, `admin`). */
  created_by: string;
  /** The steps, limits and timers it was created under (`ReviewPlan`); null before policies. */
  review_plan: JsonColumn | null;
  /** Who has approved so far, and toward which steps (`RecordedApproval[]`). */
  approvals: JsonColumn;
  /** When it closes as timed out if still open. */
  timeout_at: Millis | null;
  /** When it escalates next if still open. */
  next_escalation_at: Millis | null;
  escalations_done: number;
  /** The sooner of `timeout_at` and `next_escalation_at`: what the timer job's index holds. */
  timer_at: Millis | null;
  /** The operation a petition for one tool call approves (`PetitionOperation`); never updated. */
  operation: JsonColumn | null;
}

export interface PetitionEventsTable {
  space_id: string;
  petition_name: string;
  seq: number;
  id: string;
  event: string;
  actor: JsonColumn;
  reason: string;
  resources: JsonColumn;
  labels: JsonColumn;
  created_at: Millis;
}

export interface GrantsTable {
  id: string;
  space_id: string;
  petition_name: string;
  petitioner: JsonColumn;
  petitioner_key: string;
  resource: JsonColumn;
  resource_key: string;
  status: string;
  start_at: Millis;
  expire_at: Millis | null;
  end_at: Millis | null;
  /** What the integrations have done with it (see `GrantProvisioning`). */
  provisioning: string;
}

export interface ResourcesTable {
  space_id: string;
  name: string;
  identity_key: string;
  kind: string;
  resource_id: string;
  display_name: string | null;
  email: string | null;
  alt_ids: JsonColumn;
  labels: JsonColumn;
  created_at: Millis;
  updated_at: Millis;
}

export interface IdempotencyKeysTable {
  space_id: string;
  principal: string;
  key: string;
  fingerprint: string;
  status_code: number;
  response: string;
  created_at: Millis;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Millis;
}

export interface RoleBindingsTable {
  space_id: string;
  /** `user:<email>`, `group:<name>` or `serviceAccount:<id>`. */
  member: string;
  role: string;
  created_at: Millis;
}

export interface SpaceGroupsTable {
  space_id: string;
  name: string;
  display_name: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface GroupMembersTable {
  space_id: string;
  group_name: string;
  email: string;
}

export interface ServiceAccountsTable {
  id: string;
  space_id: string;
  name: string;
  display_name: string;
  email: string;
  labels: JsonColumn;
  created_by: JsonColumn;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

export interface TokensTable {
  id: string;
  space_id: string;
  kind: string;
  service_account_id: string | null;
  subject_email: string;
  display_name: string;
  scope: string;
  /** SHA-256 of a refresh token's secret, hex; null for tokens that have no secret. */
  secret_digest: string | null;
  created_by: JsonColumn;
  created_at: Millis;
  expire_at: Millis | null;
  revoked_at: Millis | null;
  last_used_at: Millis | null;
  /** The browser session (`web_sessions.id`) it was minted for; null for every other token. */
  session_id: string | null;
}

/**
 * Where versions before `token_signing_keys` kept the signing keys, private halves in the clear.
 * Emptied at start: its keys are moved, sealed, into `token_signing_keys`.
 */
export interface SigningKeysTable {
  kid: string;
  alg: string;
  private_jwk: string;
  public_jwk: string;
  created_at: Millis;
  retired_at: Millis | null;
}

export interface TokenSigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  /** The private JWK, encrypted with the server's secret key and bound to `kid`. */
  private_jwk_sealed: string;
  created_at: Millis;
  /** When it starts signing; it is published, and verifies, from when it is stored. */
  activates_at: Millis;
  /** When it stops signing; null while no successor is planned. */
  retired_at: Millis | null;
}

export interface PetitionPetitionersTable {
  space_id: string;
  email: string;
  petition_name: string;
}

export interface PoliciesTable {
  space_id: string;
  version: number;
  /** The policy document as written; null when the policy was removed. */
  document: JsonColumn | null;
  created_at: Millis;
  created_by: string;
}

export interface OnCallProvidersTable {
  space_id: string;
  name: string;
  kind: string;
  base_url: string;
  /** The API key, encrypted with the server's secret key. */
  api_key_sealed: string;
  /** Schedules, roles, windows: what the kind reads. */
  settings: JsonColumn;
  created_at: Millis;
  updated_at: Millis;
  last_success_at: Millis | null;
  last_error: string | null;
  last_error_at: Millis | null;
}

export interface WebhooksTable {
  space_id: string;
  name: string;
  display_name: string;
  url: string;
  method: string;
  /** Header values may be credentials: encrypted, as a JSON object. */
  headers_sealed: string;
  secret_sealed: string;
  dry_run: number;
  labels: JsonColumn;
  /** `[{type, resourceKinds}]`. */
  handlers: JsonColumn;
  /** The identity a decision webhook's claims must carry: `{id?, email?}`. */
  bot: JsonColumn;
  created_at: Millis;
  updated_at: Millis;
  last_success_at: Millis | null;
  last_error: string | null;
  last_error_at: Millis | null;
  /** Set when the receiver answered 410 Gone, or an admin turned it off. */
  disabled_at: Millis | null;
  disabled_reason: string | null;
}

export interface WebhookPoliciesTable {
  space_id: string;
  name: string;
  display_name: string;
  labels: JsonColumn;
  /** `{matchLabels, matchExpressions}`, as Indent's PolicyBase has it. */
  selector: JsonColumn;
  /** CEL expressions, all of which must hold. */
  conditions: JsonColumn;
  /** Names of the webhooks it selects. */
  webhooks: JsonColumn;
  created_at: Millis;
  updated_at: Millis;
}

export interface OutboxTable {
  /** The delivery's id: `webhook-id` (Standard Webhooks) or `X-Greenlight-Delivery`, the same on every attempt. */
  id: string;
  space_id: string;
  target_kind: string;
  target_name: string;
  event_type: string;
  petition_name: string | null;
  grant_id: string | null;
  /** The exact body every attempt sends. */
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: Millis | null;
  lease_until: Millis | null;
  last_attempt_at: Millis | null;
  last_status: number | null;
  last_error: string | null;
  created_at: Millis;
  delivered_at: Millis | null;
}

export interface DeliveryAttemptsTable {
  outbox_id: string;
  attempt: number;
  space_id: string;
  started_at: Millis;
  duration_ms: number;
  status: number | null;
  error: string | null;
  /** The start of the receiver's answer. */
  response: string | null;
}

export interface SubscriptionsTable {
  space_id: string;
  name: string;
  description: string;
  url: string;
  secret_sealed: string;
  event_types: JsonColumn;
  disabled_at: Millis | null;
  disabled_reason: string | null;
  created_at: Millis;
  updated_at: Millis;
  last_success_at: Millis | null;
  last_error: string | null;
  last_error_at: Millis | null;
}

export interface PullPoliciesTable {
  space_id: string;
  name: string;
  display_name: string;
  /** A cron expression (five fields, UTC). */
  schedule: string;
  kinds: JsonColumn;
  flags: JsonColumn;
  next_run_at: Millis;
  last_run_at: Millis | null;
  last_result: JsonColumn | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface SlackAppsTable {
  space_id: string;
  bot_token_sealed: string;
  signing_secret_sealed: string;
  bot_token_hint: string;
  signing_secret_hint: string;
  api_url: string;
  team_id: string | null;
  default_channels: JsonColumn;
  expiry_reminder_ms: Millis;
  created_at: Millis;
  updated_at: Millis;
  last_success_at: Millis | null;
  last_error: string | null;
  last_error_at: Millis | null;
}

export interface SlackMessagesTable {
  space_id: string;
  petition_name: string;
  /** Where it was asked to go: a channel id, or a user id for a direct message. */
  destination: string;
  /** The channel Slack put it in (a DM's own id for a user), and its timestamp: what chat.update needs. */
  channel: string;
  ts: string;
  /** The petition's version the message shows. */
  rendered_version: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface SlackInteractionsTable {
  space_id: string;
  /** SHA-256 of the request body, hex. */
  digest: string;
  received_at: Millis;
}

export interface WebSessionsTable {
  /** SHA-256 (hex) of the secret in the browser's cookie. */
  id: string;
  email: string;
  /** How it signed in: oidc or link. */
  via: string;
  created_at: Millis;
  expires_at: Millis;
  revoked_at: Millis | null;
  /** When the person last authenticated strongly (the ID token's auth_time, or a passkey); null: never in this session. */
  auth_time: Millis | null;
  /** How: oidc or passkey. */
  auth_method: string | null;
}

export interface WebLoginsTable {
  state: string;
  nonce: string;
  /** The PKCE verifier, sealed with the server's secret key and bound to `state`. */
  code_verifier: string;
  return_to: string;
  created_at: Millis;
  /** A login that asked the provider to sign the person in again (prompt=login) within this long; null otherwise. */
  max_age_ms: Millis | null;
}

/** A person's passkey (a WebAuthn credential): its public key only. */
export interface PasskeysTable {
  /** The credential id, base64url. */
  id: string;
  email: string;
  /** The COSE public key, base64url. */
  public_key: string;
  /** The authenticator's signature counter, seen last. */
  counter: Millis;
  /** JSON array of transports (usb, internal, hybrid…). */
  transports: string;
  name: string;
  created_at: Millis;
  last_used_at: Millis | null;
}

/** The challenge of a passkey ceremony under way, for one session, used once. */
export interface PasskeyChallengesTable {
  challenge: string;
  session_id: string;
  /** register or step-up. */
  purpose: string;
  created_at: Millis;
}

export interface SignInLinksTable {
  /** SHA-256 (hex) of the link's token. */
  digest: string;
  email: string;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

export interface AuditChainsTable {
  space_id: string;
  space_name: string;
  /** The last event's seq and hash (0 and the genesis hash before the first). */
  head_seq: Millis;
  head_hash: string;
  /** The first event kept, and the hash it follows: where verification starts once retention has pruned. */
  base_seq: Millis;
  base_prev_hash: string;
  retention_ms: Millis | null;
  /** The seq and time of the last signed checkpoint. */
  checkpoint_seq: Millis;
  checkpoint_at: Millis;
  updated_at: Millis;
}

export interface AuditEventsTable {
  space_id: string;
  seq: Millis;
  id: string;
  event: string;
  /** The actor's email, lower-cased, or its id: what the actor filter matches. */
  actor_key: string;
  request_id: string;
  created_at: Millis;
  prev_hash: string;
  hash: string;
  /** The canonical JSON that was hashed. */
  body: string;
  /** Who appended it: `server`, or `input` for an application writing through an input (its body's `provenance`). */
  writer: "server" | "input";
  /** When the server appended it: what retention goes by (`created_at` is when the event says it happened). */
  received_at: Millis;
}

export interface AuditEventResourcesTable {
  space_id: string;
  /** A resource's id or lower-cased email. */
  resource_key: string;
  seq: Millis;
}

export interface AuditCheckpointsTable {
  space_id: string;
  seq: Millis;
  hash: string;
  signed_at: Millis;
  kid: string;
  /** The signed checkpoint: a compact JWS whose payload names the space, seq, hash and time. */
  jws: string;
}

export interface AuditKeysTable {
  kid: string;
  public_jwk: string;
  private_jwk_sealed: string;
  created_at: Millis;
}

export interface AuditInputsTable {
  space_id: string;
  provider: string;
  name: string;
  display_name: string;
  /** SHA-256 of the input's token, hex. */
  token_digest: string;
  token_hint: string;
  created_at: Millis;
  last_write_at: Millis | null;
}
