import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Services } from "./context.js";

/**
 * What `/metrics` shows (Prometheus' text format): the state that needs a person when it grows
 * — grants an integration has not acknowledged, deliveries that failed, audit chains far past
 * their last signed checkpoint — read from the database at scrape time, so every replica
 * reports the same; and this process's own requests and transactions.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<"method" | "route" | "status">;

  constructor(services: Services) {
    const store = services.store;
    const read = () => store.read.metrics;
    this.registry.setDefaultLabels({});
    this.requests = new Histogram({
      name: "greenlight_http_request_duration_seconds",
      help: "HTTP requests by route and status, and how long they took",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60],
      registers: [this.registry],
    });
    new Gauge({
      name: "greenlight_petitions_open",
      help: "petitions waiting for a decision",
      registers: [this.registry],
      async collect() {
        this.set(await read().openPetitions());
      },
    });
    new Gauge({
      name: "greenlight_grants",
      help: "grants waiting for an integration (applying, revoking) or whose integration gave up (apply_failed, revoke_failed)",
      labelNames: ["provisioning"],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const state of ["applying", "apply_failed", "revoking", "revoke_failed"]) this.set({ provisioning: state }, 0);
        for (const { provisioning, count } of await read().grantsByProvisioning()) this.set({ provisioning }, count);
      },
    });
    new Gauge({
      name: "greenlight_deliveries",
      help: "outbox deliveries pending or failed, per kind of receiver (webhook, subscription, slack)",
      labelNames: ["kind", "status"],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { kind, status, count } of await read().deliveriesByStatus()) this.set({ kind, status }, count);
      },
    });
    new Gauge({
      name: "greenlight_audit_events_since_checkpoint",
      help: "audit events written since the space's last signed checkpoint",
      labelNames: ["space"],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { space, lag } of await read().auditCheckpointLag()) this.set({ space }, lag);
      },
    });
    new Counter({
      name: "greenlight_store_transactions_total",
      help: "transactions this process committed",
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(store.stats?.transactions ?? 0);
      },
    });
    new Counter({
      name: "greenlight_store_retries_total",
      help: "transactions this process ran again after losing a race with another replica (PostgreSQL)",
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(store.stats?.retries ?? 0);
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
