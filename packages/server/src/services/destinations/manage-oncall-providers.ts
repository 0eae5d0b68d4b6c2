import { currentFailure } from "../../domain/destination.js";
import { invalidArgument } from "../../domain/errors.js";
import { DEFAULT_ON_CALL_URLS, ON_CALL_KINDS, type OnCallKind, type OnCallProvider, type OnCallSettings } from "../../domain/oncall.js";
import { GROUP_NAME } from "../../domain/roles.js";
import { auditTarget } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";
import { checkDestination } from "./check-destination.js";
import type { DestinationKind } from "./destination-kind.js";
import { destinationVerbs } from "./manage-destination.js";
import type { OnCallProviderInput, OnCallProviderOut } from "../../contract/oncall-providers.js";

/** An on-call provider as the shared destination verbs see it: its API key is never shown, only its last four characters. */
export const ON_CALL_PROVIDERS: DestinationKind<OnCallProvider, OnCallProviderInput, OnCallProviderOut> = {
  noun: "on-call provider",
  permissionTo: { read: "reading on-call providers", change: "changing on-call providers", remove: "changing on-call providers" },
  audit: "onCallProvider",
  collection: "providers",
  field: "provider",
  changeWith: "PUT",
  rows: (repos) => repos.onCallProviders,
  secrets: [{ key: "apiKey", hint: 0 }],
  // Another kind without a base URL moves the key to that provider's API: a move too.
  destination: { of: (p) => p.baseUrl, movedBy: (input) => (input.baseUrl ? "baseUrl" : "kind") },
  create(ctx, input, now) {
    const name = input.name ?? "";
    if (!GROUP_NAME.test(name)) {
      throw invalidArgument(
        `provider.name must be 1 to 63 lower-case letters, digits, '.', '_' or '-', such as "pagerduty-sre"`,
        "provider.name",
      );
    }
    const kind = checkKind(input.kind);
    if (!input.apiKey) throw invalidArgument("provider.apiKey is required: the provider's API key", "provider.apiKey");
    return {
      spaceId: ctx.space.id,
      name,
      kind,
      baseUrl: input.baseUrl ? checkDestination(input.baseUrl, "provider.baseUrl", ctx.outbound.allow) : DEFAULT_ON_CALL_URLS[kind],
      apiKey: input.apiKey,
      settings: checkSettings(kind, input.settings ?? {}),
      createdAt: now,
      updatedAt: now,
      lastSuccessAt: null,
      lastError: null,
      lastErrorAt: null,
    };
  },
  change(ctx, current, input, now) {
    const kind = input.kind === undefined ? current.kind : checkKind(input.kind);
    return {
      ...current,
      kind,
      baseUrl: input.baseUrl
        ? checkDestination(input.baseUrl, "provider.baseUrl", ctx.outbound.allow)
        : kind === current.kind
          ? current.baseUrl
          : DEFAULT_ON_CALL_URLS[kind],
      apiKey: input.apiKey || current.apiKey,
      settings: checkSettings(kind, input.settings ?? current.settings),
      updatedAt: now,
      lastError: null,
      lastErrorAt: null,
    };
  },
  view: (_ctx, p) => ({ name: p.name, kind: p.kind, baseUrl: p.baseUrl, settings: p.settings, healthy: currentFailure(p) === null }),
  ref: (p) => ({ ...auditTarget("onCallProvider", p.name), labels: { "greenlight.dev/provider": p.kind } }),
  forget: (ctx, name) => ctx.onCall.forget(ctx.space.id, name),
};

const verbs = destinationVerbs(ON_CALL_PROVIDERS);
export const getOnCallProvider = verbs.get;
export const createOnCallProvider = verbs.create;
/** Replaces a provider's settings; the API key is kept unless a new one is given, and must be given to move it elsewhere. */
export const updateOnCallProvider = verbs.change;
export const deleteOnCallProvider = verbs.remove;

export async function listOnCallProviders({ ctx }: { ctx: Context }) {
  return { providers: (await verbs.list({ ctx })).items };
}

function checkKind(kind: string | undefined): OnCallKind {
  if (!ON_CALL_KINDS.includes(kind as OnCallKind)) {
    throw invalidArgument(`provider.kind must be one of ${ON_CALL_KINDS.join(", ")}, not ${JSON.stringify(kind ?? "")}`, "provider.kind");
  }
  return kind as OnCallKind;
}

function checkSettings(kind: OnCallKind, settings: OnCallSettings): OnCallSettings {
  const out: OnCallSettings = {};
  const list = (values: string[] | undefined, field: string) => {
    if (values === undefined) return undefined;
    if (values.length > 100 || values.some((v) => typeof v !== "string" || v.length === 0 || v.length > 200)) {
      throw invalidArgument(
        `provider.settings.${field} must be at most 100 names or ids of 1 to 200 characters`,
        `provider.settings.${field}`,
      );
    }
    return [...values];
  };
  const schedules = list(settings.schedules, "schedules");
  const roles = list(settings.roles, "roles");
  if (roles && kind !== "incidentio")
    throw invalidArgument("provider.settings.roles applies to incident.io only", "provider.settings.roles");
  if (schedules && kind === "incidentio")
    throw invalidArgument("provider.settings.schedules does not apply to incident.io; use roles", "provider.settings.schedules");
  if (schedules) out.schedules = schedules;
  if (roles) out.roles = roles;
  if (settings.approveParticipants !== undefined) {
    if (kind !== "incidentio")
      throw invalidArgument("provider.settings.approveParticipants applies to incident.io only", "provider.settings.approveParticipants");
    out.approveParticipants = settings.approveParticipants;
  }
  for (const field of ["windowBeforeMinutes", "windowAfterMinutes"] as const) {
    const value = settings[field];
    if (value === undefined) continue;
    if (kind !== "pagerduty") throw invalidArgument(`provider.settings.${field} applies to PagerDuty only`, `provider.settings.${field}`);
    if (!Number.isInteger(value) || value < 0 || value > 1440) {
      throw invalidArgument(`provider.settings.${field} must be whole minutes from 0 to 1440`, `provider.settings.${field}`);
    }
    out[field] = value;
  }
  return out;
}
