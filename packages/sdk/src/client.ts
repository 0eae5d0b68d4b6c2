import type {
  Delivery,
  DeliveryListOptions,
  PullOutcome,
  OnCallProvider,
  OnCallProviderInput,
  PullPolicy,
  PullPolicyInput,
  Subscription,
  SubscriptionInput,
  Webhook,
  WebhookInput,
} from "./receiver-types.js";
import { GreenlightError, StepUpRequiredError } from "./errors.js";
import type { AuditCheckpoint, AuditEvent, AuditInput, AuditPublicKey, AuditQuery, AuditVerifyReport } from "./audit-types.js";
import type { PublicJwk } from "./receipt.js";
import { resolveSettings, type ClientOptions } from "./settings.js";
import type { SlackApp, SlackAppInput, SlackManifest, SlackTestResult } from "./slack-types.js";
import { Transport, type RequestOptions } from "./transport.js";
import type {
  AccessPolicy,
  AccessToken,
  ApprovalReceipt,
  ExtendPetitionInput,
  Grant,
  Group,
  GroupInput,
  ListOptions,
  Page,
  Petition,
  PetitionEvent,
  PetitionInput,
  PetitionPreview,
  Policy,
  PolicyDocument,
  PolicyExplanation,
  PolicyReplay,
  PolicyVersion,
  ReceiptStatus,
  Resource,
  ResourceInput,
  ServiceAccount,
  Space,
  Token,
} from "./types.js";

/** The longest one long-poll asks the server to hold; servers cap it too (60 s by default). */
const LONG_POLL_MS = 55_000;

export interface ReviewInput {
  decision: "approve" | "deny" | "revoke";
  reason?: string;
  /** How long an approval grants, as a Go duration ("3h"). */
  duration?: string;
  /** Grant until revoked. */
  indefinite?: boolean;
}

const enc = encodeURIComponent;

/**
 * A typed client for Greenlight's API (Indent v1's), in the shape of Indent's `IndentAPI`.
 * Refresh tokens are exchanged for access tokens automatically, and again before they expire.
 *
 * @example
 * import { GreenlightAPI } from "@greenlight/sdk";
 * const client = new GreenlightAPI(); // GREENLIGHT_API_URL, GREENLIGHT_API_TOKEN, GREENLIGHT_SPACE
 * const { resources } = await client.resource.list({ view: "requestable" });
 * const petition = await client.petition.create({ reason: "to debug production", resources });
 */
export class GreenlightAPI {
  readonly spaceName: string;
  readonly baseURL: string;
  /** The client's time (`ClientOptions.now`), by which its waits are counted. */
  readonly now: () => number;
  private readonly http: Transport;

  constructor(options: ClientOptions = {}) {
    const settings = resolveSettings(options);
    this.spaceName = settings.spaceName;
    this.baseURL = settings.baseURL;
    this.http = new Transport(settings);
    this.now = settings.now;
  }

  private get spacePath(): string {
    return `/v1/spaces/${enc(this.spaceName)}`;
  }

  private call<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return this.http.request<T>(method, path, options);
  }

  /** A DELETE, whose answer (an empty object) callers have no use for. */
  private async deleteAt(path: string): Promise<void> {
    await this.call("DELETE", path);
  }

  /** Petitions: requests for access or approval, and their decisions. */
  readonly petition = {
    /** Creates a petition, or returns the open or granted one that asks for the same access. */
    create: (petition: PetitionInput, options: { idempotencyKey?: string; signal?: AbortSignal } = {}) =>
      this.call<Petition>("POST", `${this.spacePath}/petitions`, {
        body: { petition },
        idempotencyKey: options.idempotencyKey ?? crypto.randomUUID(),
        signal: options.signal,
      }),
    /**
     * What a petition would get if it were made now, without making it: the review its plan
     * would ask for (the longest and default grant, whether until-revoked is allowed, the steps
     * and their reviewers, high risk) and whether a rule would approve or deny it at once.
     *
     * @example
     * const { review } = await client.petition.preview({ resources });
     * console.log(`at most ${review.maxDuration}`);
     */
    preview: (petition: PetitionInput, options: { signal?: AbortSignal } = {}) =>
      this.call<PetitionPreview>("POST", `${this.spacePath}/petitions:preview`, { body: { petition }, signal: options.signal }),
    /**
     * Asks for more time on a granted petition: a new petition for the same access, labelled
     * `greenlight.dev/extends` with the one it extends and decided under the policy like any
     * (a rule may grant it at once), or the extension already open or granted. `duration` is a
     * Go duration ("2h"); without it the policy's default applies.
     *
     * @example
     * const extension = await client.petition.extend("pet_01…", { duration: "2h", reason: "the migration runs long" });
     */
    extend: (name: string, extension: ExtendPetitionInput = {}, options: { idempotencyKey?: string; signal?: AbortSignal } = {}) =>
      this.call<Petition>("POST", `${this.spacePath}/petitions/${enc(name)}:extend`, {
        body: extension,
        idempotencyKey: options.idempotencyKey ?? crypto.randomUUID(),
        signal: options.signal,
      }),
    get: (name: string, options: { signal?: AbortSignal } = {}) =>
      this.call<Petition>("GET", `${this.spacePath}/petitions/${enc(name)}`, options),
    /**
     * Petitions, newest first. `awaiting: "me"` keeps the open ones the caller may approve or
     * deny and has not reviewed yet (a reviewer's inbox); `reviewedBy: "me"` the ones it decided.
     * With either, a page may hold fewer than `pageSize` and still have a `nextPageToken`.
     * `petitioner: "me"` keeps the ones that name the caller as a petitioner (its own requests).
     *
     * @example
     * const { petitions } = await client.petition.list({ awaiting: "me" });
     */
    list: (options: ListOptions & { phase?: string; ascending?: boolean; awaiting?: "me"; reviewedBy?: "me"; petitioner?: "me" } = {}) =>
      this.call<{ petitions: Petition[] } & Page>("GET", `${this.spacePath}/petitions`, { query: { ...options } }),
    /**
     * What was sent about the petition to every webhook, subscription and Slack (space admins).
     *
     * @example
     * const { deliveries } = await client.petition.deliveries("pet_01…");
     */
    deliveries: (name: string, options: DeliveryListOptions = {}) =>
      this.call<{ deliveries: Delivery[] } & Page>("GET", `${this.spacePath}/deliveries`, { query: { petition: name, ...options } }),
    /**
     * Holds until the petition is decided or `timeoutMs` passes, then returns it as it is. The
     * server is asked to hold the request (no polling), again and again for long waits.
     */
    waitFor: async (name: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Petition> => {
      const deadline = this.now() + (options.timeoutMs ?? 10_000);
      for (;;) {
        const holdMs = Math.max(0, Math.min(deadline - this.now(), LONG_POLL_MS));
        const petition = await this.petition.poll(name, holdMs, options.signal);
        if (petition.state.status.phase !== "open" || this.now() >= deadline) return petition;
      }
    },
    /** One long-poll: the petition once decided, or after `holdMs` as it is. */
    poll: (name: string, holdMs: number, signal?: AbortSignal) =>
      this.call<Petition>("GET", `${this.spacePath}/petitions/${enc(name)}`, {
        query: { waitFor: "decision", timeout: `${Math.max(0, Math.round(holdMs))}ms` },
        signal,
        timeoutMs: holdMs + 30_000,
      }),
    /** Approves, denies or revokes (Indent's `review`): a claim on the petition. */
    review: (name: string, input: ReviewInput) => {
      const labels: Record<string, string> = {};
      if (input.duration !== undefined) labels["indent.com/time/duration"] = input.duration;
      if (input.indefinite) labels["indent.com/time/indefinite"] = "true";
      return this.call<PetitionEvent>("POST", `${this.spacePath}/petitions/${enc(name)}/claims`, {
        body: { claim: { event: `access/${input.decision}`, reason: input.reason ?? "", meta: { labels } } },
        idempotencyKey: crypto.randomUUID(),
      }).catch((error: unknown) => {
        // A high-risk petition: a person approves it in the web UI after signing in again.
        if (error instanceof GreenlightError && error.code === "STEP_UP_REQUIRED") {
          throw new StepUpRequiredError(error, `${this.baseURL}/spaces/${enc(this.spaceName)}/petitions/${enc(name)}`);
        }
        throw error;
      });
    },
    approve: (name: string, input: Omit<ReviewInput, "decision"> = {}) => this.petition.review(name, { ...input, decision: "approve" }),
    deny: (name: string, reason?: string) => this.petition.review(name, { decision: "deny", reason }),
    revoke: (name: string, reason?: string) => this.petition.review(name, { decision: "revoke", reason }),
    /**
     * A signed approval receipt for a granted petition made for one operation (see
     * `operationRequest`): a short-lived JWT that `verifyReceipt` checks offline.
     *
     * @example
     * const { receipt } = await client.petition.receipt("pet_01…");
     */
    receipt: (name: string, options: { ttl?: string } = {}) =>
      this.call<ApprovalReceipt>("POST", `${this.spacePath}/petitions/${enc(name)}:receipt`, {
        body: options.ttl === undefined ? {} : { ttl: options.ttl },
      }),
    /**
     * Asks the server whether a receipt still holds now: its petition still granted, the
     * receipt and the grant unexpired. `verifyReceipt(receipt, { ..., online: client })` does
     * this after the offline checks.
     *
     * @example
     * const status = await client.petition.checkReceipt(receipt);
     * if (!status.active) console.log(`no longer approved: ${status.reason}`);
     */
    checkReceipt: (receipt: string) => this.call<ReceiptStatus>("POST", `${this.spacePath}/receipts:check`, { body: { receipt } }),
    /** Closes the petition as Indent's `access petitions close` does: cancelled if open, revoked if granted. */
    close: (name: string) =>
      this.call<Petition>("PUT", `${this.spacePath}/petitions/${enc(name)}`, {
        body: { petition: { state: { status: { phase: "closed" } } } },
      }),
  };

  /** The space's catalog of resources. */
  readonly resource = {
    /**
     * A page of the catalog: `view` narrows it to what may be requested or to people, `search`
     * to resources whose id, display name, email or name contains the text (in any case), `kind`
     * to one kind.
     *
     * @example
     * const { resources, nextPageToken } = await client.resource.list({ search: "warehouse", pageSize: 50 });
     */
    list: (options: ListOptions & { view?: "requestable" | "people"; search?: string; kind?: string } = {}) =>
      this.call<{ resources: Resource[] } & Page>("GET", `${this.spacePath}/resources`, { query: { ...options } }),
    get: (name: string) => this.call<Resource>("GET", `${this.spacePath}/resources/${enc(name)}`),
    create: (resource: ResourceInput) => this.call<Resource>("POST", `${this.spacePath}/resources`, { body: { resource } }),
    /** Creates or updates each resource by kind and id, all in one transaction. */
    bulkUpdate: async ({ resources }: { resources: ResourceInput[] }) =>
      (await this.call<{ resources: Resource[] }>("POST", `${this.spacePath}/resources:bulkUpdate`, { body: { resources } })).resources,
    bulkDelete: async ({ resourceNames }: { resourceNames: string[] }) => {
      await this.call("POST", `${this.spacePath}/resources:bulkDelete`, { body: { resourceNames } });
    },
    delete: (name: string) => this.deleteAt(`${this.spacePath}/resources/${enc(name)}`),
    /**
     * Indent's PullUpdate: asks the space's pullUpdate webhooks for resources of these kinds and
     * creates or updates what they return. One webhook failing leaves the others' resources
     * written; it shows in `status.code` (2) and in its entry of `webhooks`.
     *
     * @example
     * const { status, webhooks } = await client.resource.pull({ kinds: ["okta.v1.Group"] });
     */
    pull: (input: { kinds: string[]; flags?: Record<string, string> }) =>
      this.call<PullOutcome>("PUT", `${this.spacePath}/resources:pullUpdate`, { body: input }),
  };

  /** Access held because a petition was approved. */
  readonly grant = {
    /** A page of grants, oldest first; `provisioning: "failed"` lists those an integration could not apply or revoke. */
    list: (
      options: {
        status?: Grant["status"];
        petition?: string;
        provisioning?: Grant["provisioning"] | "failed";
        pageSize?: number;
        pageToken?: string;
      } = {},
    ) => this.call<{ grants: Grant[] } & Page>("GET", `${this.spacePath}/grants`, { query: { ...options } }),
    get: (name: string) => this.call<Grant>("GET", `${this.spacePath}/grants/${enc(name)}`),
  };

  /**
   * The public keys (JWKS) the server signs access tokens and approval receipts with.
   *
   * @example
   * const keys = await client.signingKeys();
   */
  signingKeys(): Promise<{ keys: PublicJwk[] }> {
    return this.call<{ keys: PublicJwk[] }>("GET", "/v1/auth/keys");
  }

  /**
   * Makes a new key sign tokens and receipts at once (the server's admin token only); what the
   * others signed stays valid, unless `revokeOtherKeys` removes them. Returns the keys after.
   *
   * @example
   * const { keys } = await admin.rotateSigningKeys({ revokeOtherKeys: true }); // a key leaked
   */
  rotateSigningKeys(options: { revokeOtherKeys?: boolean } = {}): Promise<{ keys: PublicJwk[] }> {
    return this.call<{ keys: PublicJwk[] }>("POST", "/v1/auth/keys:rotate", { body: options });
  }

  /** Tokens: exchanging, creating and revoking them. */
  readonly token = {
    /** Exchanges a refresh token for a short-lived access token. */
    exchange: (refreshToken: string) => this.http.exchange(refreshToken),
    /** A refresh token for a service account; `refreshToken` in the answer is shown only this once. */
    create: (input: { serviceAccountId: string; displayName?: string; scope?: string; expiryDays?: number }) =>
      this.call<Token>("POST", `${this.spacePath}/tokens`, { body: input }),
    list: (options: { serviceAccountId?: string; showDeleted?: boolean; pageSize?: number; pageToken?: string } = {}) =>
      this.call<{ tokens: Token[] } & Page>("GET", `${this.spacePath}/tokens`, { query: { ...options } }),
    revoke: (name: string) => this.deleteAt(`${this.spacePath}/tokens/${enc(name)}`),
    /**
     * A one-time link that signs a person in to the web UI (server admin token only): it works
     * once, within `ttl` (default 15m, at most 24h).
     */
    signInLink: (input: { email: string; ttl?: string }) =>
      this.call<{ url: string; email: string; expireTime: string }>("POST", "/v1/auth/signInLinks", { body: input }),
    /** A short-lived access token for a person (`sub` = their email). */
    mintForUser: (input: { email: string; ttl?: string; displayName?: string }) =>
      this.call<Token & AccessToken>("POST", `${this.spacePath}/userTokens`, { body: input }),
  };

  /** Service accounts of the space. */
  readonly serviceAccount = {
    create: (input: { name: string; displayName?: string; email?: string; labels?: Record<string, string>; roles?: string[] }) =>
      this.call<ServiceAccount>("POST", `${this.spacePath}/serviceAccounts`, { body: { serviceAccount: input } }),
    list: (options: { showDeleted?: boolean; pageSize?: number; pageToken?: string } = {}) =>
      this.call<{ serviceAccounts: ServiceAccount[] } & Page>("GET", `${this.spacePath}/serviceAccounts`, { query: { ...options } }),
    get: (id: string) => this.call<ServiceAccount>("GET", `${this.spacePath}/serviceAccounts/${enc(id)}`),
    update: (id: string, changes: { displayName?: string; labels?: Record<string, string>; roles?: string[] }) =>
      this.call<ServiceAccount>("PATCH", `${this.spacePath}/serviceAccounts/${enc(id)}`, { body: { serviceAccount: changes } }),
    delete: (id: string) => this.deleteAt(`${this.spacePath}/serviceAccounts/${enc(id)}`),
  };

  /**
   * The space's access policy: who must approve what, what is approved or denied at once.
   *
   * @example
   * const { version } = await client.policy.get();
   * await client.policy.set({ rules: [...] }, { expectedVersion: version });
   * const why = await client.policy.explain({ petition: "pet_01…" });
   */
  readonly policy = {
    get: () => this.call<AccessPolicy>("GET", `${this.spacePath}/policy`),
    /** Saves a new version; with `expectedVersion`, only if nobody saved one since. */
    set: (policy: PolicyDocument, options: { expectedVersion?: number } = {}) =>
      this.call<AccessPolicy>("PUT", `${this.spacePath}/policy`, { body: { policy, ...options } }),
    /** Removes the policy: any admin or reviewer approves again. */
    remove: (options: { expectedVersion?: number } = {}) =>
      this.call<AccessPolicy>("DELETE", `${this.spacePath}/policy`, { query: { ...options } }),
    versions: (options: { pageSize?: number; pageToken?: string } = {}) =>
      this.call<{ versions: PolicyVersion[] } & Page>("GET", `${this.spacePath}/policy/versions`, { query: { ...options } }),
    getVersion: (version: number) => this.call<AccessPolicy>("GET", `${this.spacePath}/policy/versions/${version}`),
    /** Checks a policy without saving it; a problem is an error naming its place (`field`). */
    validate: (policy: PolicyDocument) =>
      this.call<{ valid: boolean; rules: number }>("POST", `${this.spacePath}/policies:validate`, { body: { policy } }),
    /** Why the policy (or a draft) does what it does with a petition, or with a request that might be made. */
    explain: (input: { petition?: string; request?: PetitionInput; policy?: PolicyDocument }) =>
      this.call<PolicyExplanation>("POST", `${this.spacePath}/policies:explain`, { body: input }),
    /** What a draft would have done with the latest petitions; changes nothing. */
    replay: (input: { policy: PolicyDocument; limit?: number }) =>
      this.call<PolicyReplay>("POST", `${this.spacePath}/policies:replay`, { body: input }),
  };

  /**
   * Webhooks in Indent's protocol: apply (grants and revokes), pull (resources) and decision
   * webhooks, and the log of what was delivered to each.
   *
   * @example
   * const { secret } = await client.webhook.create({
   *   name: "okta", url: "https://hooks.example.com/okta",
   *   handlers: [{ type: "applyUpdate", resourceKinds: ["okta.v1.Group"] }],
   * }); // store the secret: it is not shown again
   * const { deliveries } = await client.webhook.deliveries("okta", { status: "failed" });
   * await client.webhook.redeliver("okta", deliveries[0].id);
   */
  readonly webhook = {
    list: (options: { pageSize?: number; pageToken?: string } = {}) =>
      this.call<{ webhooks: Webhook[] } & Page>("GET", `${this.spacePath}/webhooks`, { query: { ...options } }),
    get: (name: string) => this.call<Webhook>("GET", `${this.spacePath}/webhooks/${enc(name)}`),
    /** Creates a webhook; its signing secret is in this answer only. */
    create: (webhook: WebhookInput) => this.call<Webhook>("POST", `${this.spacePath}/webhooks`, { body: { webhook } }),
    /** Changes the fields given, as Indent's UpdateWebhook does. */
    update: (name: string, changes: WebhookInput) =>
      this.call<Webhook>("PATCH", `${this.spacePath}/webhooks/${enc(name)}`, { body: { webhook: changes } }),
    /** Deletes a webhook; what it had waiting to be delivered is given up. */
    delete: (name: string) => this.deleteAt(`${this.spacePath}/webhooks/${enc(name)}`),
    ...this.deliveryLog("webhooks"),
  };

  /**
   * Event subscriptions: petition and grant events sent to a URL in the Standard Webhooks
   * format, and the log of what was delivered.
   *
   * @example
   * const { secret } = await client.subscription.create({ name: "audit", url, eventTypes: ["petition.*"] });
   * // The receiver checks each event with verifyWebhook({ secret, headers, body }).
   */
  readonly subscription = {
    list: (options: { pageSize?: number; pageToken?: string } = {}) =>
      this.call<{ subscriptions: Subscription[] } & Page>("GET", `${this.spacePath}/subscriptions`, { query: { ...options } }),
    get: (name: string) => this.call<Subscription>("GET", `${this.spacePath}/subscriptions/${enc(name)}`),
    /** Subscribes a URL to events; its signing secret is in this answer only. */
    create: (subscription: SubscriptionInput) =>
      this.call<Subscription>("POST", `${this.spacePath}/subscriptions`, { body: { subscription } }),
    /** Changes the fields given. */
    update: (name: string, changes: SubscriptionInput) =>
      this.call<Subscription>("PATCH", `${this.spacePath}/subscriptions/${enc(name)}`, { body: { subscription: changes } }),
    /** Deletes a subscription; what it had waiting to be delivered is given up. */
    delete: (name: string) => this.deleteAt(`${this.spacePath}/subscriptions/${enc(name)}`),
    ...this.deliveryLog("subscriptions"),
  };

  /**
   * The space's Slack app: petitions posted to channels with buttons to decide them, the
   * `/greenlight` slash command, and the log of what was posted. Set it up from the manifest,
   * then give the app's bot token and signing secret; they are never answered again, only hints.
   *
   * @example
   * const manifest = await client.slack.manifestYaml(); // paste into api.slack.com/apps → From a manifest
   * await client.slack.set({ botToken: "xoxb-…", signingSecret: "…", defaultChannels: ["C0123ABCD"] });
   * const { ok, team, error } = await client.slack.test();
   */
  readonly slack = {
    /** The Slack app; `NOT_FOUND` when Slack is not set up in the space. */
    get: () => this.call<SlackApp>("GET", `${this.spacePath}/slack`),
    /** Sets it up, or changes the fields given; the bot token and signing secret are required the first time. */
    set: (slack: SlackAppInput) => this.call<SlackApp>("PUT", `${this.spacePath}/slack`, { body: { slack } }),
    /** Removes the Slack app from the space: nothing more is posted to Slack. */
    remove: () => this.deleteAt(`${this.spacePath}/slack`),
    /** The app manifest for this server's URLs, as JSON. */
    manifest: () => this.call<SlackManifest>("GET", `${this.spacePath}/slack/manifest`),
    /** The app manifest as YAML text, as Slack's "From a manifest" form shows it. */
    manifestYaml: () =>
      this.call<string>("GET", `${this.spacePath}/slack/manifest`, {
        query: { format: "yaml" },
        accept: "text/yaml, application/json;q=0.5",
      }),
    /** Asks Slack's `auth.test` whether the bot token works; `ok: false` with Slack's `error` if not. */
    test: () => this.call<SlackTestResult>("POST", `${this.spacePath}/slack:test`),
    /** What was posted to Slack, newest first; `status: "failed"` lists the failures. */
    deliveries: (options: DeliveryListOptions = {}) =>
      this.call<{ deliveries: Delivery[] } & Page>("GET", `${this.spacePath}/slack/deliveries`, { query: { ...options } }),
    /** One delivery with what is sent (`body`) and each attempt (`attemptLog`). */
    delivery: (id: string) => this.call<Delivery>("GET", `${this.spacePath}/slack/deliveries/${enc(id)}`),
    /** Sends a failed or waiting delivery again now. */
    redeliver: (id: string) => this.call<Delivery>("POST", `${this.spacePath}/slack/deliveries/${enc(id)}:redeliver`),
  };

  /**
   * The space's audit log: search, export (streamed), verification of its hash chain, signed
   * checkpoints to keep elsewhere, retention, and the inputs applications write through.
   *
   * @example
   * const { events } = await client.audit.list({ actor: "alice@example.com", event: "access/*" });
   * for await (const line of client.audit.export()) await file.write(line + "\n");
   * const { valid, firstFault } = await client.audit.verify();
   */
  readonly audit = {
    list: (query: AuditQuery & ListOptions = {}) =>
      this.call<{ events: AuditEvent[] } & Page>("GET", `${this.spacePath}/audit`, { query: { ...query } }),
    /** Every matching event, oldest first: JSONL lines (each verifiable) or CSV rows, as they arrive. */
    export: (query: AuditQuery & { format?: "jsonl" | "csv" } = {}) =>
      this.http.lines(`${this.spacePath}/audit:export`, {
        query: { ...query },
        accept: query.format === "csv" ? "text/csv" : "application/x-ndjson",
      }),
    verify: () => this.call<AuditVerifyReport>("POST", `${this.spacePath}/audit:verify`),
    /** Signed checkpoints, newest first, and how late one may be (`maxCheckpointDelay`, a Go duration such as "11m"). */
    checkpoints: (options: ListOptions = {}) =>
      this.call<{ checkpoints: AuditCheckpoint[]; maxCheckpointDelay: string } & Page>("GET", `${this.spacePath}/audit/checkpoints`, {
        query: { ...options },
      }),
    /** The public keys that verify checkpoints. */
    keys: () => this.call<{ keys: AuditPublicKey[] }>("GET", "/v1/audit/keys"),
    settings: () => this.call<{ retention: string | null }>("GET", `${this.spacePath}/audit/settings`),
    /** How long events are kept, as a Go duration ("8760h"); null keeps them for ever. */
    setRetention: (retention: string | null) =>
      this.call<{ retention: string | null }>("PUT", `${this.spacePath}/audit/settings`, { body: { settings: { retention } } }),
    inputs: () => this.call<{ inputs: AuditInput[] }>("GET", `${this.spacePath}/auditInputs`),
    /** A new input; its `token` is in this answer only. */
    createInput: (input: { provider: string; name: string; displayName?: string }) =>
      this.call<AuditInput>("POST", `${this.spacePath}/auditInputs`, { body: { input } }),
    deleteInput: async (provider: string, name: string): Promise<void> => {
      await this.call("DELETE", `${this.spacePath}/auditInputs/${enc(provider)}/${enc(name)}`);
    },
  };

  /**
   * Pull policies (Indent's SyncPolicy): a PullUpdate of some kinds on a schedule.
   *
   * @example
   * await client.pullPolicy.create({ meta: { name: "okta-groups" }, schedule: "@hourly", kinds: ["okta.v1.Group"] });
   * const { lastResult } = await client.pullPolicy.run("okta-groups");
   */
  readonly pullPolicy = {
    list: () => this.call<{ pullPolicies: PullPolicy[] }>("GET", `${this.spacePath}/pullPolicies`),
    get: (name: string) => this.call<PullPolicy>("GET", `${this.spacePath}/pullPolicies/${enc(name)}`),
    create: (pullPolicy: PullPolicyInput) => this.call<PullPolicy>("POST", `${this.spacePath}/pullPolicies`, { body: { pullPolicy } }),
    /** Replaces the policy's schedule, kinds and flags (a PUT: flags left out become none). */
    update: (name: string, pullPolicy: PullPolicyInput) =>
      this.call<PullPolicy>("PUT", `${this.spacePath}/pullPolicies/${enc(name)}`, { body: { pullPolicy } }),
    delete: (name: string) => this.deleteAt(`${this.spacePath}/pullPolicies/${enc(name)}`),
    /** Runs it now and waits for the result (`lastResult`); its schedule goes on as before. */
    run: (name: string) => this.call<PullPolicy>("POST", `${this.spacePath}/pullPolicies/${enc(name)}:run`),
  };

  /**
   * On-call providers (PagerDuty, Opsgenie, incident.io) a policy's `onCall` condition asks,
   * with their health. The API key is written, never read back: only a hint of it.
   *
   * @example
   * await client.onCallProvider.create({ name: "pd", kind: "pagerduty", apiKey: "…", settings: { schedules: ["P1234"] } });
   * const { providers } = await client.onCallProvider.list(); // providers[0].healthy, lastError
   */
  readonly onCallProvider = {
    list: () => this.call<{ providers: OnCallProvider[] }>("GET", `${this.spacePath}/onCallProviders`),
    get: (name: string) => this.call<OnCallProvider>("GET", `${this.spacePath}/onCallProviders/${enc(name)}`),
    create: (provider: OnCallProviderInput) =>
      this.call<OnCallProvider>("POST", `${this.spacePath}/onCallProviders`, { body: { provider } }),
    /** Changes it; the API key is kept unless a new one is given (a new `baseUrl` needs it again). */
    update: (name: string, provider: OnCallProviderInput) =>
      this.call<OnCallProvider>("PUT", `${this.spacePath}/onCallProviders/${enc(name)}`, { body: { provider } }),
    delete: (name: string) => this.deleteAt(`${this.spacePath}/onCallProviders/${enc(name)}`),
  };

  /** The delivery log of one webhook or subscription, the same for both. */
  private deliveryLog(receivers: "webhooks" | "subscriptions") {
    const log = (name: string) => `${this.spacePath}/${receivers}/${enc(name)}/deliveries`;
    return {
      /** Deliveries, newest first; `status: "failed"` lists the failures. */
      deliveries: (name: string, options: DeliveryListOptions = {}) =>
        this.call<{ deliveries: Delivery[] } & Page>("GET", log(name), { query: { ...options } }),
      /** One delivery with what is sent (`body`) and each attempt (`attemptLog`). */
      delivery: (name: string, id: string) => this.call<Delivery>("GET", `${log(name)}/${enc(id)}`),
      /** Sends a failed or waiting delivery again now. */
      redeliver: (name: string, id: string) => this.call<Delivery>("POST", `${log(name)}/${enc(id)}:redeliver`),
    };
  }

  /**
   * Groups of people in the space, bound to roles as `group:<name>`.
   *
   * @example
   * await client.group.create({ name: "dbas", members: ["carol@example.com"] });
   * await client.space.addToRole("reviewer", "group:dbas");
   */
  readonly group = {
    list: (options: { pageSize?: number; pageToken?: string } = {}) =>
      this.call<{ groups: Group[] } & Page>("GET", `${this.spacePath}/groups`, { query: { ...options } }),
    get: (name: string) => this.call<Group>("GET", `${this.spacePath}/groups/${enc(name)}`),
    create: (group: GroupInput) => this.call<Group>("POST", `${this.spacePath}/groups`, { body: { group } }),
    /** Replaces the group's display name and members. */
    update: (name: string, group: GroupInput) => this.call<Group>("PUT", `${this.spacePath}/groups/${enc(name)}`, { body: { group } }),
    /** Deletes the group and its role bindings. */
    delete: (name: string) => this.deleteAt(`${this.spacePath}/groups/${enc(name)}`),
  };

  /** The space itself and who holds which role in it. */
  readonly space = {
    get: () => this.call<Space>("GET", this.spacePath),
    list: () => this.call<{ spaces: Space[] } & Page>("GET", "/v1/spaces"),
    getPolicy: () => this.call<Policy>("POST", `${this.spacePath}:getPolicy`, { body: {} }),
    addToRole: (role: string, member: string) => this.call<Policy>("POST", `${this.spacePath}:addToRole`, { body: { role, member } }),
    removeFromRole: (role: string, member: string) =>
      this.call<Policy>("POST", `${this.spacePath}:removeFromRole`, { body: { role, member } }),
  };
}
