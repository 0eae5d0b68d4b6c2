import type { Petition, Resource } from "@greenlight/sdk";

export function who(resource: Resource): string {
  return resource.email || resource.displayName || resource.id || resource.kind;
}

export function what(resource: Resource): string {
  return `${resource.displayName || resource.id || resource.email || ""} (${resource.kind})`;
}

/** The petition's state in words: the phase, and the outcome once closed. */
export function status(petition: Petition): string {
  const { phase, outcome } = petition.state.status;
  if (phase === "closed" && outcome) return outcome.replace("_", " ");
  return phase;
}

export function when(time: string | undefined): string {
  return time ? new Date(time).toLocaleString() : "";
}

export const DURATIONS = ["1h", "2h", "4h", "8h", "24h"];

const RISK_KEY = /(^|[/._-])(risk|env|environment|sensitivity|classification|tier)$/i;

/** Resource labels a reviewer should see (`env=prod`, `risk=high`). */
export function riskLabels(petition: Petition): string[] {
  const labels = petition.resources.flatMap((r) =>
    Object.entries(r.labels ?? {})
      .filter(([key]) => RISK_KEY.test(key))
      .map(([key, value]) => `${key}=${value}`),
  );
  // An agent asked: reviewers see which one, and for whom (the server sets both labels).
  const meta = petition.meta.labels ?? {};
  const agent = meta["greenlight.dev/agent"];
  if (agent)
    labels.push(meta["greenlight.dev/on-behalf-of"] ? `agent=${agent} for ${meta["greenlight.dev/on-behalf-of"]}` : `agent=${agent}`);
  return [...new Set(labels)];
}

/** A wire duration ("7200s", or a Go duration) as people write it: "2h", "90m". */
export function shortDuration(duration: string | undefined): string {
  const seconds = /^(\d+)s$/.exec(duration ?? "")?.[1];
  if (seconds === undefined) return duration ?? "";
  const n = Number(seconds);
  if (n % 3600 === 0) return `${n / 3600}h`;
  if (n % 60 === 0) return `${n / 60}m`;
  return `${n}s`;
}

/** A Go duration as people write it: "4h0m0s" → "4h", "1h30m0s" → "1h30m". */
export function goDurationShort(duration: string): string {
  return duration.replace(/(?<=[hm])0s$/, "").replace(/(?<=h)0m$/, "");
}

/** Whether a webhook's or subscription's latest delivery failed (an error newer than any success). */
export function isFailing(receiver: { lastError?: string; lastErrorTime?: string; lastSuccessTime?: string }): boolean {
  if (!receiver.lastError) return false;
  return !receiver.lastSuccessTime || Date.parse(receiver.lastErrorTime ?? "") >= Date.parse(receiver.lastSuccessTime);
}
