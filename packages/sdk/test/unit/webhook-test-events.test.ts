import { describe, expect, it } from "vitest";
import { signIndentWebhook, verifyWebhook, webhookTestEvents } from "../../src/index.js";

const NOW = new Date("2026-03-02T10:00:00.000Z");
const petitioner = { kind: "user", email: "dev@example.com" };
const resource = { kind: "okta.v1.Group", id: "00g-eng", displayName: "Engineering", labels: { oktaId: "00g-eng" } };

describe("webhookTestEvents", () => {
  const { grant, revoke } = webhookTestEvents({ petitioner, resource, duration: "90m", now: NOW });
  const [granted, request, approve] = grant.events;
  const petition = granted!.meta.labels["petition"];

  it("builds the grant body as the server sends ApplyUpdate: the trigger, then the request and the approval", () => {
    expect(grant.events.map((e) => e.event)).toEqual(["access/grant", "access/request", "access/approve"]);
    expect(granted).toMatchObject({
      event: "access/grant",
      actor: { kind: "user", email: "approver@example.com", labels: {} },
      // Exactly [petitioner, target], each with labels, as integrations expect.
      resources: [{ kind: "user", email: "dev@example.com", labels: {} }, resource],
      timestamp: NOW.toISOString(),
      reason: "sample approval",
    });
    expect(granted!.resources).toHaveLength(2);
    expect(granted!.meta.labels).toEqual({
      "indent.com/time/duration": "1h30m0s",
      "indent.com/time/expires": "2026-03-02T11:30:00.000Z",
      petition,
      "indent.com/petition": petition,
    });
    expect(petition).toMatch(/^pet_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(request).toMatchObject({ actor: granted!.resources[0], resources: [resource], reason: "to test the webhook" });
    expect(Date.parse(request!.timestamp)).toBeLessThan(NOW.getTime());
    expect(request!.meta.labels).toEqual({ petition, "indent.com/petition": petition });
    expect(approve).toMatchObject({ actor: granted!.actor, resources: granted!.resources, timestamp: NOW.toISOString() });
    expect(approve!.meta.labels).toMatchObject({
      "indent.com/time/duration": "1h30m0s",
      "indent.com/time/expires": "2026-03-02T11:30:00.000Z",
      "greenlight.dev/review/steps": "0",
    });
  });

  it("builds the revoke body as the server sends it when the grant expires", () => {
    expect(revoke.events.map((e) => e.event)).toEqual(["access/revoke", "access/request", "access/approve"]);
    const [revoked] = revoke.events;
    expect(revoked).toMatchObject({
      event: "access/revoke",
      actor: { kind: "greenlight.v1.System", id: "expiry" },
      resources: granted!.resources,
      timestamp: "2026-03-02T11:30:00.000Z",
      reason: "access grant expired",
    });
    expect(revoked!.meta.labels).toEqual({
      "indent.com/time/duration": "1h30m0s",
      "indent.com/time/expires": "2026-03-02T11:30:00.000Z",
      petition,
      "indent.com/petition": petition,
    });
    // The same petition's context, event for event.
    expect(revoke.events.slice(1)).toEqual(grant.events.slice(1));
  });

  it("gives every event an id of the server's form, each its own", () => {
    const ids = [...grant.events, revoke.events[0]!].map((e) => e.id);
    for (const id of ids) expect(id).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(4);
  });

  it("takes the approver given, and defaults to an hour from now", () => {
    const approver = { kind: "slack/user", id: "U9G03MX", altIds: ["mary-manager"] };
    const before = Date.now();
    const [event] = webhookTestEvents({ petitioner, resource, approver }).grant.events;
    expect(event!.actor).toEqual({ ...approver, labels: {} });
    expect(event!.meta.labels["indent.com/time/duration"]).toBe("1h0m0s");
    const expires = Date.parse(event!.meta.labels["indent.com/time/expires"]!);
    expect(expires - Date.parse(event!.timestamp)).toBe(3_600_000);
    expect(Date.parse(event!.timestamp)).toBeGreaterThanOrEqual(before);
  });

  it.each([
    ["1h", "1h0m0s"],
    ["30m", "30m0s"],
    ["90m", "1h30m0s"],
    ["1h30m15s", "1h30m15s"],
    ["45s", "45s"],
    ["1.5s", "1.5s"],
    ["1500ms", "1.5s"],
    ["2.5h", "2h30m0s"],
  ])("writes the duration %s as Go does: %s", (duration, go) => {
    const [event] = webhookTestEvents({ petitioner, resource, duration, now: NOW }).grant.events;
    expect(event!.meta.labels["indent.com/time/duration"]).toBe(go);
  });

  it.each(["", "5", "1d", "-1h", "0s", "500ms", "1h 30m"])("refuses the duration %j", (duration) => {
    expect(() => webhookTestEvents({ petitioner, resource, duration })).toThrow(TypeError);
  });

  it("makes bodies that, signed, verify as Indent's webhooks do", async () => {
    const body = JSON.stringify(grant);
    const headers = await signIndentWebhook({ secret: "wks0secret", body });
    await verifyWebhook({ secret: "wks0secret", headers, body });
  });
});
