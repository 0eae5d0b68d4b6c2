import {
  describeMillis,
  formatGoDuration,
  millisToNanos,
  nanosToMillis,
  parseDurationInput,
  parseGoDuration,
} from "../../domain/duration.js";
import { invalidArgument } from "../../domain/errors.js";
import {
  checkSuggestedDuration,
  checkSuggestedDurationLabel,
  CLAMP_LABEL,
  PETITION_DURATION_LABEL,
  type GrantLimits,
} from "../../domain/grant-expiry.js";
import { normalizeResource, resourceKey, type Resource } from "../../domain/resource.js";
import { operationOf, type PetitionOperation } from "../../domain/agents.js";
import { checkNewPetitionLabels } from "../../domain/petition-labels.js";
import type { Petition } from "../../domain/petition.js";
import type { PetitionInput } from "../../contract/petitions.js";
import type { ResourceInput } from "../../contract/resources.js";

/** Grants an approval may create at most (petitioners × resources). */
export const MAX_GRANTS_PER_PETITION = 1000;

/** Normalises a list of resources, dropping repeats of the same resource. */
export function normalizeResources(inputs: ResourceInput[] | undefined, field: string): Resource[] {
  const seen = new Set<string>();
  const out: Resource[] = [];
  (inputs ?? []).forEach((input, i) => {
    const resource = normalizeResource(input, `${field}[${i}]`);
    const key = resourceKey(resource);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(resource);
  });
  return out;
}

export interface CheckedPetition {
  petitioners: Resource[];
  resources: Resource[];
  reason: string;
  labels: Record<string, string>;
  defaultDurationMs: number | null;
  /** The tool call it asks to approve, when its labels name one. */
  operation: PetitionOperation | null;
}

export function checkNewPetition(input: PetitionInput, serverLimits: GrantLimits): CheckedPetition {
  // With clamping asked for, a long suggestion is shortened once the policy's limits are known.
  const clamp = input.meta?.labels?.[CLAMP_LABEL] === "true";
  const limits = clamp ? { ...serverLimits, maxMs: Number.MAX_SAFE_INTEGER } : serverLimits;
  const phase = input.state?.status?.phase;
  if (phase !== undefined && phase !== "" && phase !== "open") {
    throw invalidArgument(
      `a new petition starts open; state.status.phase may only be "open", not ${JSON.stringify(phase)}`,
      "petition.state.status.phase",
    );
  }
  const petitioners = normalizeResources(input.petitioners, "petition.petitioners");
  if (petitioners.length === 0) {
    throw invalidArgument(
      'petition.petitioners is required: name who needs the access, for example [{"kind": "user", "email": "alice@example.com"}]',
      "petition.petitioners",
    );
  }
  const resources = normalizeResources(input.resources, "petition.resources");
  if (resources.length === 0) {
    throw invalidArgument(
      'petition.resources is required: name what is requested, for example [{"kind": "action", "id": "deploy-prod"}]',
      "petition.resources",
    );
  }
  if (petitioners.length * resources.length > MAX_GRANTS_PER_PETITION) {
    throw invalidArgument(
      `a petition may cover at most ${MAX_GRANTS_PER_PETITION} (petitioner, resource) pairs; this one has ${petitioners.length} × ${resources.length}; split it`,
      "petition.resources",
    );
  }
  const defaultDurationMs =
    input.defaultDuration === undefined || input.defaultDuration === ""
      ? null
      : checkSuggestedDuration(parseDurationInput(input.defaultDuration, "petition.defaultDuration"), limits, "petition.defaultDuration");
  const labels = { ...(input.meta?.labels ?? {}) };
  checkNewPetitionLabels(labels, "petition.meta.labels");
  checkSuggestedDurationLabel(labels, limits);
  return {
    petitioners,
    resources,
    reason: input.reason ?? "",
    labels,
    defaultDurationMs,
    operation: operationOf(labels),
  };
}

/**
 * Holds the durations a petitioner suggested to the limits of the petition's plan, which may
 * be stricter than the server's: refused when longer, or shortened when the petition asked for
 * clamping (`greenlight.dev/time/clamp: "true"`).
 */
export function fitToPlanLimits(checked: CheckedPetition, limits: GrantLimits): CheckedPetition {
  const clamp = checked.labels[CLAMP_LABEL] === "true";
  const fit = (ms: number, field: string): number => {
    if (ms <= limits.maxMs) return ms;
    if (clamp) return limits.maxMs;
    throw invalidArgument(
      `${field} asks for ${describeMillis(ms)}, more than the policy allows for this request (${describeMillis(limits.maxMs)}); ask for less, or set the label ${CLAMP_LABEL}="true" to be given the most allowed`,
      field,
    );
  };
  const out: CheckedPetition = { ...checked, labels: { ...checked.labels } };
  if (checked.defaultDurationMs !== null) out.defaultDurationMs = fit(checked.defaultDurationMs, "petition.defaultDuration");
  const suggested = checked.labels[PETITION_DURATION_LABEL];
  if (suggested !== undefined) {
    const field = `petition.meta.labels["${PETITION_DURATION_LABEL}"]`;
    const ms = nanosToMillis(parseGoDuration(suggested, field));
    const fitted = fit(ms, field);
    if (fitted !== ms) out.labels[PETITION_DURATION_LABEL] = formatGoDuration(millisToNanos(fitted));
  }
  return out;
}

/** A petition already made, as the checks of a new one would have left it (to decide it again). */
export function checkedOf(petition: Petition): CheckedPetition {
  return {
    petitioners: petition.petitioners,
    resources: petition.resources,
    reason: petition.reason,
    labels: petition.labels,
    defaultDurationMs: petition.defaultDurationMs,
    operation: petition.operation,
  };
}
