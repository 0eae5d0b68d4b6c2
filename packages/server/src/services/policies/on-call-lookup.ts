import type { Clock } from "../../domain/clock.js";
import type { OnCallProvider } from "../../domain/oncall.js";
import type { OnCallAnswer, OnCallProviderConfig } from "../../integrations/oncall/types.js";

/** What one provider said about one person. `onCall: null` means it could not say (no opinion). */
export interface OnCallCheck {
  provider: string;
  kind: string;
  email: string;
  onCall: boolean | null;
  detail: string;
  cached: boolean;
}

export type CheckOnCall = (config: OnCallProviderConfig, email: string, at: Date) => Promise<OnCallAnswer>;

/** A provider's health as last seen: what a stored provider shows, so a broken one is visible. */
export type ProviderOutcome = { provider: OnCallProvider; at: number; error: string | null };

/**
 * Asks the space's on-call providers whether people are on call, in parallel, each call bounded
 * by a timeout. Answers are reused for a short while (the on-call schedule changes by the
 * hour, petitions come in bursts). A provider that fails or is slow has no opinion, never
 * "yes": access is never granted because a provider was down. Failures are reused for a
 * shorter while so a provider that is down is not asked again for every petition.
 */
export class OnCallLookup {
  private readonly cache = new Map<string, { until: number; check: Omit<OnCallCheck, "cached"> }>();
  /** The last error (or null) reported per provider, so only changes are recorded. */
  private readonly lastReported = new Map<string, string | null>();

  constructor(
    private readonly check: CheckOnCall,
    private readonly clock: Clock,
    private readonly options: {
      timeoutMs: number;
      cacheMs: number;
      onOutcome?: (outcome: ProviderOutcome) => void;
      fetch?: OnCallProviderConfig["fetch"];
    },
  ) {}

  /** Every provider's answer for every email, and the names of providers that have each email on call. */
  async lookup(
    providers: OnCallProvider[],
    emails: string[],
    at: number,
  ): Promise<{ checks: OnCallCheck[]; onCall: Map<string, string[]> }> {
    const unique = [...new Set(emails.map((email) => email.toLowerCase()).filter(Boolean))];
    const checks = await Promise.all(providers.flatMap((provider) => unique.map((email) => this.checkOne(provider, email, at))));
    const onCall = new Map<string, string[]>(unique.map((email) => [email, []]));
    for (const check of checks) if (check.onCall === true) onCall.get(check.email)!.push(check.provider);
    return { checks, onCall };
  }

  private async checkOne(provider: OnCallProvider, email: string, at: number): Promise<OnCallCheck> {
    const key = `${provider.spaceId}\u0000${provider.name}\u0000${provider.updatedAt}\u0000${email}`;
    const now = this.clock.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return { ...hit.check, cached: true };

    const base = { provider: provider.name, kind: provider.kind, email };
    let check: Omit<OnCallCheck, "cached">;
    let error: string | null = null;
    try {
      const config = configOf(provider, this.options.timeoutMs);
      if (this.options.fetch) config.fetch = this.options.fetch;
      const answer = await this.check(config, email, new Date(at));
      check = { ...base, onCall: answer.onCall, detail: answer.detail };
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
      check = { ...base, onCall: null, detail: `${provider.kind} did not answer (${error}); counted as no opinion` };
    }
    if (this.cache.size > 10_000) this.cache.clear();
    const ttl = error === null ? this.options.cacheMs : Math.min(this.options.cacheMs, 10_000);
    this.cache.set(key, { until: this.clock.now() + ttl, check });
    this.report(provider, error);
    return { ...check, cached: false };
  }

  private report(provider: OnCallProvider, error: string | null): void {
    const key = `${provider.spaceId}\u0000${provider.name}`;
    const seen = this.lastReported.has(key);
    // What the stored provider shows: failing if its last error is newer than its last success.
    const stored = (provider.lastErrorAt ?? -1) > (provider.lastSuccessAt ?? -1) ? provider.lastError : null;
    const previous = seen ? this.lastReported.get(key)! : stored;
    const neverSucceeded = !seen && error === null && provider.lastSuccessAt === null;
    this.lastReported.set(key, error);
    if (previous !== error || neverSucceeded) this.options.onOutcome?.({ provider, at: this.clock.now(), error });
  }

  /** Forgets answers about a provider, as when it is changed or deleted. */
  forget(spaceId: string, name: string): void {
    const prefix = `${spaceId}\u0000${name}\u0000`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
    this.lastReported.delete(`${spaceId}\u0000${name}`);
  }
}

function configOf(provider: OnCallProvider, timeoutMs: number): OnCallProviderConfig {
  const config: OnCallProviderConfig = { kind: provider.kind, baseUrl: provider.baseUrl, apiKey: provider.apiKey, timeoutMs };
  const { schedules, roles, approveParticipants, windowBeforeMinutes, windowAfterMinutes } = provider.settings;
  if (schedules) config.schedules = schedules;
  if (roles) config.roles = roles;
  if (approveParticipants !== undefined) config.approveParticipants = approveParticipants;
  if (windowBeforeMinutes !== undefined) config.windowBeforeMinutes = windowBeforeMinutes;
  if (windowAfterMinutes !== undefined) config.windowAfterMinutes = windowAfterMinutes;
  return config;
}
