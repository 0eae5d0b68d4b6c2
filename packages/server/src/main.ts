import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { pino, type Logger } from "pino";
import type { Config } from "./config.js";
import { systemClock, type Clock } from "./domain/clock.js";
import { buildApp } from "./http/app.js";
import { EXPIRE_GRANTS_JOB, expireGrantsJob } from "./jobs/expire-grants-job.js";
import { PETITION_TIMERS_JOB, petitionTimersJob } from "./jobs/petition-timers-job.js";
import { pruneIdempotencyKeysJob } from "./jobs/prune-idempotency-keys-job.js";
import { PULL_POLICIES_JOB, pullPoliciesJob } from "./jobs/pull-policies-job.js";
import { checkOnCall } from "./integrations/oncall/index.js";
import { parseOutboundAllowList } from "./integrations/outbound/address-policy.js";
import { createGuardedFetch, type GuardedFetch } from "./integrations/outbound/guarded-fetch.js";
import { DELIVER_OUTBOX_JOB, deliverOutboxJob } from "./jobs/deliver-outbox-job.js";
import { DeliveryWorker } from "./services/destinations/deliver-outbox.js";
import { applyPolicyFile } from "./services/policies/policy-file.js";
import { OnCallLookup } from "./services/policies/on-call-lookup.js";
import { recordOnCallHealth } from "./services/policies/on-call-health.js";
import { JobRunner } from "./jobs/runner.js";
import { expireGrants } from "./services/grants/expire-grants.js";
import { auditJob, signDueCheckpoints } from "./jobs/audit-job.js";
import { AuditSigner } from "./services/audit/audit-signer.js";
import { CheckpointWitness } from "./services/audit/audit-witness.js";
import { setUpAdminToken, type AdminTokenSetup } from "./services/identity/admin-token.js";
import { jobContext, type Services } from "./services/runtime/context.js";
import { DEFAULT_SPACE, ensureDefaultSpace } from "./services/identity/ensure-default-space.js";
import { Notifier } from "./services/runtime/notifier.js";
import { hearOtherReplicas } from "./services/runtime/replica-signals.js";
import { openStore } from "./store/open-store.js";
import { TOKEN_AUDIENCE, TokenSigner } from "./services/identity/token-signer.js";
import { MAX_RECEIPT_TTL_MS } from "./services/agents/approval-receipt.js";
import { signingKeysJob } from "./jobs/signing-keys-job.js";
import { resealSecrets } from "./services/runtime/reseal-secrets.js";

export interface StartOptions {
  /** Replace the stored admin token with a new one (shown once). */
  rotateAdminToken?: boolean;
  clock?: Clock;
  /** A logger to use instead of one built from the config. */
  logger?: Logger;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  config: Config;
  adminToken: AdminTokenSetup;
  defaultSpace: string;
  app: FastifyInstance;
  services: Services;
  /**
   * Resolves once no job is running or due on the clock and no delivery is in flight: what
   * the present time calls for has been done. Tests wait on it before asserting that
   * something did not happen.
   */
  whenIdle(): Promise<void>;
  /** Stops taking requests, answers held ones, stops jobs, and closes the database. */
  close(): Promise<void>;
}

export const VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
  .version;

/**
 * The composition root: config → store → services → HTTP and jobs. Everything the server
 * needs is built here and nowhere else.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel, base: undefined });
  const clock = options.clock ?? systemClock;
  const store = await openStore(config, (err, what) => logger.error({ err }, what));
  const shutdown = new AbortController();
  const jobs = new JobRunner(logger, clock);
  let app: FastifyInstance | undefined;
  let delivery: DeliveryWorker | undefined;
  let outboundFetch: GuardedFetch | undefined;
  try {
    if (config.secretKeysPrevious.length > 0) {
      const resealed = await resealSecrets(store, clock.now());
      logger.info(
        { resealed },
        "sealed stored secrets again with the current secret key; GREENLIGHT_SECRET_KEY_PREVIOUS may go once every server has started",
      );
    }
    await ensureDefaultSpace(store, clock.now());
    const adminToken = await setUpAdminToken(store, {
      fromEnvironment: config.adminToken,
      rotate: options.rotateAdminToken ?? false,
      now: clock.now(),
    });
    const notifier = new Notifier();
    hearOtherReplicas({ store, notifier });
    const signer = await TokenSigner.load({
      store,
      clock,
      issuer: config.tokens.issuer,
      audience: TOKEN_AUDIENCE,
      maxTokenLifetimeMs: Math.max(config.tokens.accessTtlMs, config.tokens.userMaxTtlMs, MAX_RECEIPT_TTL_MS),
      rotationPeriodMs: config.tokens.signingKeyRotationMs,
      pollMs: config.tokens.signingKeyPollMs,
    });
    const auditSigner = await AuditSigner.load(store, clock.now());
    const auditWitness = await CheckpointWitness.open(join(config.dataDir, "audit-witness.json"), (err) =>
      logger.error(
        { err },
        "the audit checkpoints this server has seen could not be saved beside its data; it remembers them until it stops",
      ),
    );
    const allow = parseOutboundAllowList(config.outboundAllow);
    outboundFetch = createGuardedFetch(allow);
    const outbound = { allow, fetch: outboundFetch };
    const recordHealth = recordOnCallHealth({
      store,
      onError: (err) => logger.error({ err }, "recording an on-call provider's health failed"),
    });
    const onCall = new OnCallLookup(checkOnCall, clock, {
      fetch: outbound.fetch,
      timeoutMs: config.policies.onCallTimeoutMs,
      cacheMs: config.policies.onCallCacheMs,
      onOutcome: (outcome) => {
        const { provider, error } = outcome;
        if (error !== null)
          logger.warn({ space: provider.spaceId, provider: provider.name, error }, "an on-call provider failed; it has no opinion");
        recordHealth(outcome);
      },
    });
    const services: Services = {
      store,
      clock,
      notifier,
      limits: config.grants,
      adminTokenDigest: adminToken.digest,
      signer,
      tokenLifetimes: {
        accessMs: config.tokens.accessTtlMs,
        userDefaultMs: config.tokens.userTtlMs,
        userMaxMs: config.tokens.userMaxTtlMs,
      },
      autoDecisions: {
        defaultPendingTimeoutMs: config.policies.defaultPendingTimeoutMs,
        onCallTimeoutMs: config.policies.onCallTimeoutMs,
        onCallCacheMs: config.policies.onCallCacheMs,
        decisionTimeoutMs: config.policies.decisionTimeoutMs,
      },
      onCall,
      outbound,
      pulls: { timeoutMs: config.pulls.timeoutMs },
      web: { publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}` },
      stepUp: { maxAgeMs: config.web.stepUpMaxAgeMs },
      audit: { signer: auditSigner, witness: auditWitness, ...config.audit },
    };
    if (config.policies.file !== null) {
      const applied = await applyPolicyFile(services, DEFAULT_SPACE, config.policies.file);
      if (applied !== null) logger.info({ file: config.policies.file, version: applied }, "applied the policy file to the default space");
    }

    app = await buildApp({
      services,
      logger,
      maxBodyBytes: config.maxBodyBytes,
      rateLimits: { ...config.rateLimits, exchangesPerMinute: config.tokens.exchangesPerMinute },
      trustProxy: config.trustProxy,
      wait: config.wait,
      shutdown: shutdown.signal,
      version: VERSION,
      signIn: config.web,
    });
    notifier.onGrantScheduled((expireAt) => jobs.wakeBy(EXPIRE_GRANTS_JOB, expireAt));
    notifier.onTimerScheduled((at) => jobs.wakeBy(PETITION_TIMERS_JOB, at));
    notifier.onPullScheduled((at) => jobs.wakeBy(PULL_POLICIES_JOB, at));
    delivery = new DeliveryWorker(services, config.delivery, (at) => jobs.wakeBy(DELIVER_OUTBOX_JOB, at));
    await delivery.releaseLeftLeases();
    notifier.onDeliveriesQueued(() => jobs.wakeBy(DELIVER_OUTBOX_JOB, clock.now()));
    // Checkpoints that came due while the server was down are signed before anything is
    // served, so verification never finds events left waiting for one by the downtime.
    try {
      await signDueCheckpoints(services, logger);
    } catch (err) {
      logger.error({ err }, "signing the audit checkpoints due failed; the audit job will try again");
    }
    jobs.start([
      deliverOutboxJob(delivery),
      expireGrantsJob(services, config.expiryPollMs),
      petitionTimersJob(services, config.policies.timerPollMs),
      pruneIdempotencyKeysJob(services),
      pullPoliciesJob(services, config.pulls.pollMs),
      auditJob(services, logger),
      signingKeysJob(services, config.tokens.signingKeyPollMs),
    ]);
    // Grants already past their expiry (the server was down, or the database was restored to an
    // earlier point) are ended before anything is served.
    try {
      while ((await expireGrants({ ctx: jobContext(services, "expiry") })) > 0);
    } catch (err) {
      logger.error({ err }, "ending grants past their expiry failed; the expiry job will try again");
    }
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    if (config.publicUrl === null) services.web.publicUrl = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;

    const running = app;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`,
      port,
      config,
      adminToken,
      defaultSpace: DEFAULT_SPACE,
      app: running,
      services,
      whenIdle: async () => {
        // Each can start work for the other (a job queues a delivery; a delivery wakes the
        // job), so wait until both are found idle together.
        do {
          await jobs.whenIdle();
          await delivery?.whenIdle();
        } while (!jobs.isIdle() || !(delivery?.isIdle() ?? true));
      },
      close: () =>
        (closing ??= (async () => {
          shutdown.abort();
          notifier.releaseAll();
          // Released waiters answer after the close has begun (at once on SQLite; after a
          // read on PostgreSQL), so their keep-alive connections turn idle only then and would
          // hold the close open until each client let go: close them as they turn idle.
          const sweep = setInterval(() => running.server.closeIdleConnections(), 20);
          try {
            await running.close();
          } finally {
            clearInterval(sweep);
          }
          await jobs.stop();
          await delivery?.stop();
          await outboundFetch?.close();
          await store.close();
        })()),
    };
  } catch (error) {
    shutdown.abort();
    await app?.close();
    await jobs.stop();
    await delivery?.stop();
    await outboundFetch?.close();
    await store.close();
    throw error;
  }
}
