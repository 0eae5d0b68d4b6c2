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
