import { describe, it, expect } from "vitest";
import {
  decisionMessage,
  denyReasonModal,
  ephemeralText,
  expiryReminderMessage,
  requestModal,
  requestReceivedMessage,
  reviewMessage,
} from "../../src/slack/blocks.js";
import { ACTION, VIEW, type CardStatus, type PetitionCard } from "../../src/slack/card.js";
import { manifestYaml, slackAppManifest } from "../../src/slack/manifest.js";
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const CREATED = Date.UTC(2024, 0, 15, 9, 30);
const EXPIRE = Date.UTC(2024, 0, 15, 13, 30);

function card(overrides: Partial<PetitionCard> = {}): PetitionCard {
  return {
    spaceName: "default",
    name: "pet_01HQ",
    webUrl: "https://greenlight.example.com/spaces/default/petitions/pet_01HQ",
    petitioners: [{ label: "alice@example.com", slackUserId: "U123ALICE" }],
    resources: [{ kind: "postgres.database", label: "prod-db" }],
    reason: "Investigating incident 42",
    requestedDuration: "4 hours",
    riskLabels: ["env=prod"],
    highRisk: false,
    createdAt: CREATED,
    status: { state: "pending", approvers: [], needed: 1 },
    durationChoices: [
      { label: "1 hour", value: "1h0m0s" },
      { label: "4 hours", value: "4h0m0s" },
      { label: "until revoked", value: "indefinite" },
    ],
    defaultDuration: "4h0m0s",
    ...overrides,
  };
}

type Json = Record<string, any>;

/** Every object nested anywhere in `value`. */
function objects(value: unknown): Json[] {
  if (Array.isArray(value)) return value.flatMap(objects);
  if (typeof value !== "object" || value === null) return [];
  return [value as Json, ...Object.values(value).flatMap(objects)];
}

const elements = (value: unknown) => objects(value).filter((o) => typeof o["action_id"] === "string");
const actionIds = (value: unknown) => elements(value).map((e) => e["action_id"] as string);
const texts = (value: unknown) =>
  objects(value)
    .filter((o) => o["type"] === "mrkdwn" || o["type"] === "plain_text")
    .map((o) => o["text"] as string);
const allText = (message: { text: string; blocks: object[] }) => [message.text, ...texts(message.blocks)].join("\n");

const DECIDED: Array<[string, CardStatus, RegExp]> = [
  [
    "granted",
    { state: "granted", by: "carol@example.com", duration: "4 hours", expireAt: EXPIRE },
    /Approved by carol@example\.com for 4 hours, until <!date\^1705325400\^/,
  ],
  [
    "granted until revoked",
    { state: "granted", by: "carol@example.com", duration: "until revoked", expireAt: null },
    /Approved by carol@example\.com, until revoked/,
  ],
  ["denied", { state: "denied", by: "bob@example.com", reason: "not on call" }, /Denied by bob@example\.com: not on call/],
  ["timed out", { state: "timed_out", reason: "no review within 24 hours" }, /Timed out: no review within 24 hours/],
  ["cancelled", { state: "cancelled", by: "alice@example.com" }, /Cancelled by alice@example\.com/],
  [
    "revoked",
    { state: "revoked", by: "dave@example.com", reason: "incident over", at: EXPIRE },
    /Revoked by dave@example\.com.*: incident over/,
  ],
  ["expired", { state: "expired", at: EXPIRE }, /Expired/],
];

describe("reviewMessage", () => {
  it("offers a pending petition's duration, Approve and Deny in one block named for the petition", () => {
    const message = reviewMessage(card());
    const review = message.blocks.find((b: Json) => b["type"] === "actions" && b["block_id"] === "greenlight.review:pet_01HQ") as Json;
    expect(review).toBeDefined();
    const byId = Object.fromEntries(elements(review).map((e) => [e["action_id"], e]));
    expect(byId[ACTION.approve]).toMatchObject({ type: "button", style: "primary", value: "pet_01HQ", text: { text: "Approve" } });
    expect(byId[ACTION.deny]).toMatchObject({ type: "button", style: "danger", value: "pet_01HQ", text: { text: "Deny" } });
    expect(byId[ACTION.open]).toMatchObject({ url: card().webUrl });
    const select = byId[ACTION.duration]!;
    expect(select["type"]).toBe("static_select");
    expect(select["options"].map((o: Json) => o["value"])).toEqual(["1h0m0s", "4h0m0s", "indefinite"]);
    expect(select["options"].map((o: Json) => o["text"]["text"])).toEqual(["1 hour", "4 hours", "until revoked"]);
    expect(select["initial_option"]).toEqual(select["options"][1]);
  });

  it("preselects the first duration when there is no default", () => {
    const select = elements(reviewMessage(card({ defaultDuration: null })).blocks).find((e) => e["action_id"] === ACTION.duration)!;
    expect(select["initial_option"]["value"]).toBe("1h0m0s");
  });

  it("shows who asks (as a mention), what for, why, for how long and the risk labels", () => {
    const message = reviewMessage(
      card({ petitioners: [{ label: "alice@example.com", slackUserId: "U123ALICE" }, { label: "eve@example.com" }] }),
    );
    const text = texts(message.blocks).join("\n");
    expect(text).toContain("<@U123ALICE>");
    expect(text).toContain("eve@example.com");
    expect(text).toContain("postgres.database");
    expect(text).toContain("prod-db");
    expect(text).toContain("Investigating incident 42");
    expect(text).toContain("4 hours");
    expect(text).toContain("env=prod");
    expect(text).toContain("pet_01HQ");
  });

  it("summarises the request in its fallback text", () => {
    expect(reviewMessage(card()).text).toBe("alice@example.com requests prod-db (4 hours): Investigating incident 42");
    expect(reviewMessage(card({ status: { state: "denied", by: "bob", reason: "no" } })).text).toMatch(
      /requests prod-db .*Denied by bob: no/,
    );
  });

  it("never mentions a Slack user id that is not one", () => {
    const text = texts(reviewMessage(card({ petitioners: [{ label: "mallory", slackUserId: "!channel" }] })).blocks).join("\n");
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("mallory");
  });

  it("shows approvals so far", () => {
    const text = allText(reviewMessage(card({ status: { state: "pending", approvers: ["carol@example.com"], needed: 2 } })));
    expect(text).toContain("Approved by carol@example.com (1 of 2 approvals)");
  });

  it("offers a high-risk petition only a link to the web UI, and says why", () => {
    const message = reviewMessage(card({ highRisk: true }));
    expect(actionIds(message.blocks)).toEqual([ACTION.open]);
    const [link] = elements(message.blocks);
    expect(link).toMatchObject({
      type: "button",
      style: "primary",
      url: card().webUrl,
      text: { text: "Review in Greenlight (sign-in required)" },
    });
    const text = allText(message);
    expect(text).toMatch(/High risk/);
    expect(text).toMatch(/web UI.*fresh sign-in/);
  });

  it.each(DECIDED)("shows a %s petition's outcome with no Approve or Deny", (_name, status, outcome) => {
    const message = reviewMessage(card({ status }));
    expect(actionIds(message.blocks)).toEqual([ACTION.open]);
    expect(texts(message.blocks).join("\n")).toMatch(outcome);
    expect(message.blocks.some((b: Json) => b["block_id"] === "greenlight.review:pet_01HQ")).toBe(false);
  });

  it("escapes Slack's control characters in what people wrote", () => {
    const message = reviewMessage(
      card({
        reason: "<script>alert(1)</script> & <!channel> <https://evil.example|click>",
        resources: [{ kind: "db", label: "<@U999>" }],
        petitioners: [{ label: "x&y <z>" }],
        status: { state: "denied", by: "<!here>", reason: "a < b" },
      }),
    );
    const text = allText(message);
    expect(text).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;https://evil.example|click&gt;");
    expect(text).toContain("&lt;@U999&gt;");
    expect(text).toContain("x&amp;y &lt;z&gt;");
    expect(text).toContain("Denied by &lt;!here&gt;: a &lt; b");
    // Plain text (the header) is shown as it is; mrkdwn and the fallback must hold no live token.
    const live = [
      message.text,
      ...objects(message.blocks)
        .filter((o) => o["type"] === "mrkdwn")
        .map((o) => o["text"]),
    ].join("\n");
    expect(live).not.toMatch(/<script|<!channel>|<!here>|<@U999>|<https:\/\/evil/);
  });

  it("stays within Slack's limits however large the petition", () => {
    const many = card({
      petitioners: Array.from({ length: 300 }, (_, i) => ({ label: `person${i}@example.com ${"x".repeat(200)}` })),
      resources: Array.from({ length: 500 }, (_, i) => ({ kind: "k".repeat(300), label: `resource-${i} ${"&".repeat(400)}` })),
      reason: "<&>".repeat(5000),
      riskLabels: Array.from({ length: 200 }, (_, i) => `label${i}=${"v".repeat(300)}`),
      durationChoices: Array.from({ length: 150 }, (_, i) => ({ label: `${i} hours ${"y".repeat(100)}`, value: `${i}h0m0s` })),
      defaultDuration: "140h0m0s",
      status: { state: "pending", approvers: Array.from({ length: 50 }, (_, i) => `approver${i}`), needed: 60 },
    });
    const message = reviewMessage(many);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks as Json[]) {
      if (block["type"] === "section" && block["text"]) expect(block["text"]["text"].length).toBeLessThanOrEqual(3000);
      if (block["type"] === "header") expect(block["text"]["text"].length).toBeLessThanOrEqual(150);
      for (const field of block["fields"] ?? []) expect(field["text"].length).toBeLessThanOrEqual(2000);
    }
    const select = elements(message.blocks).find((e) => e["action_id"] === ACTION.duration)!;
    expect(select["options"].length).toBeLessThanOrEqual(100);
    for (const option of select["options"]) expect(option["text"]["text"].length).toBeLessThanOrEqual(75);
    // The preselected choice is past the first 100, so it cannot be offered: the first is.
    expect(select["initial_option"]).toEqual(select["options"][0]);
    const text = texts(message.blocks).join("\n");
    expect(text).toContain("and 490 more");
    expect(text).toContain("and 290 more");
    // Cut mrkdwn never ends in half an entity.
    const mrkdwnTexts = objects(message.blocks)
      .filter((o) => o["type"] === "mrkdwn")
      .map((o) => o["text"] as string);
    expect(mrkdwnTexts.join("\n")).toMatch(/&amp;…/);
    expect([message.text, ...mrkdwnTexts].join("\n")).not.toMatch(/&(a|am|amp|l|lt|g|gt)?…/);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it("fits a 3000-character reason into its section", () => {
    const reason = texts(reviewMessage(card({ reason: "r".repeat(2995) })).blocks).find((t) => t.startsWith("*Reason*"))!;
    expect(reason.length).toBeLessThanOrEqual(3000);
    expect(reason.endsWith("…")).toBe(true);
  });
});

describe("decisionMessage", () => {
  it.each(DECIDED)("tells the petitioner their petition was %s, with a link", (_name, status, outcome) => {
    const message = decisionMessage(card({ status }));
    expect(actionIds(message.blocks)).toEqual([ACTION.open]);
    const words = outcome.source.match(/Approved|Denied|Timed out|Cancelled|Revoked|Expired/)![0].toLowerCase();
    expect(allText(message).toLowerCase()).toContain(words);
    expect(message.text).toContain("prod-db");
  });

  it("says until when access was granted, and why it was denied", () => {
    expect(texts(decisionMessage(card({ status: DECIDED[0]![1] })).blocks).join("\n")).toMatch(
      /approved by carol@example\.com for 4 hours, until <!date\^1705325400\^/,
    );
    expect(decisionMessage(card({ status: DECIDED[0]![1] })).text).toContain("2024-01-15 13:30 UTC");
    expect(decisionMessage(card({ status: DECIDED[2]![1] })).text).toContain("denied by bob@example.com: not on call");
  });
});

describe("expiryReminderMessage", () => {
  it("says how long is left, with a link", () => {
    const message = expiryReminderMessage(card({ status: DECIDED[0]![1] }), 15);
    expect(message.text).toMatch(/prod-db\* ends in 15 minutes/);
    expect(expiryReminderMessage(card({ status: DECIDED[0]![1] }), 65).text).toMatch(/ends in 1 hour 5 minutes/);
    expect(actionIds(message.blocks)).toEqual([ACTION.open]);
  });
});

describe("requestReceivedMessage", () => {
  it("names the petition, its state and links to it in its text alone", () => {
    const message = requestReceivedMessage(card());
    expect(message.text).toContain("pet_01HQ");
    expect(message.text).toContain(`<${card().webUrl}|pet_01HQ>`);
    expect(message.text).toMatch(/Waiting for review/);
    expect(actionIds(message.blocks)).toEqual([ACTION.open]);
  });
});

describe("denyReasonModal", () => {
  it("asks for a required reason and carries the petition in its metadata", () => {
    const meta = { petition: "pet_01HQ", channel: "C1", messageTs: "1700000000.000100" };
    const view = denyReasonModal(meta, card()) as Json;
    expect(view).toMatchObject({
      type: "modal",
      callback_id: VIEW.deny,
      title: { type: "plain_text", text: "Deny request" },
      submit: { text: "Deny" },
      close: { text: "Cancel" },
    });
    expect(JSON.parse(view["private_metadata"])).toEqual(meta);
    const input = view["blocks"].find((b: Json) => b["type"] === "input");
    expect(input).toMatchObject({
      block_id: "reason",
      element: { type: "plain_text_input", action_id: "reason", multiline: true, max_length: 1000 },
    });
    expect(input["optional"]).not.toBe(true);
    expect(texts(view).join("\n")).toContain("prod-db");
  });
});

describe("requestModal", () => {
  const durations = card().durationChoices;

  it("offers resources, a reason and an optional duration", () => {
    const view = requestModal({
      resources: [{ value: '{"kind":"db","id":"prod"}', label: "prod (db)" }],
      durations,
      defaultDuration: "1h0m0s",
    }) as Json;
    expect(view).toMatchObject({
      type: "modal",
      callback_id: VIEW.request,
      title: { text: "Request access" },
      submit: { text: "Request" },
    });
    const inputs = Object.fromEntries(view["blocks"].filter((b: Json) => b["type"] === "input").map((b: Json) => [b["block_id"], b]));
    expect(Object.keys(inputs)).toEqual(["resource", "reason", "duration"]);
    expect(inputs["resource"].element).toMatchObject({
      type: "static_select",
      action_id: "resource",
      options: [{ value: '{"kind":"db","id":"prod"}', text: { text: "prod (db)" } }],
    });
    expect(inputs["reason"].element).toMatchObject({ type: "plain_text_input", action_id: "reason", multiline: true });
    expect(inputs["reason"].optional).not.toBe(true);
    expect(inputs["duration"]).toMatchObject({
      optional: true,
      element: { type: "static_select", action_id: "duration", initial_option: { value: "1h0m0s" } },
    });
  });

  it("says nothing matched, with no submit button, when there is nothing to request", () => {
    const view = requestModal({ resources: [], durations, defaultDuration: null, search: "<prod>" }) as Json;
    expect(view["submit"]).toBeUndefined();
    expect(view["blocks"].some((b: Json) => b["type"] === "input")).toBe(false);
    expect(texts(view).join("\n")).toContain("Nothing you can request matches “&lt;prod&gt;”");
  });

  it("keeps to 100 options of at most 75 characters", () => {
    const resources = Array.from({ length: 250 }, (_, i) => ({ value: `r${i}`, label: `resource ${i} ${"z".repeat(100)}` }));
    const view = requestModal({ resources, durations, defaultDuration: null }) as Json;
    const select = elements(view).find((e) => e["action_id"] === "resource")!;
    expect(select["options"]).toHaveLength(100);
    for (const option of select["options"]) expect(option["text"]["text"].length).toBeLessThanOrEqual(75);
    expect(texts(view).join("\n")).toContain("150 more");
    expect(view["title"]["text"].length).toBeLessThanOrEqual(24);
  });
});

describe("ephemeralText", () => {
  it("escapes raw text but keeps Slack's own tokens and entities", () => {
    const message = ephemeralText("a <b> & <@U12345> <https://x.example/p?a=1|link> &amp; <!channel>");
    expect(message.text).toBe("a &lt;b&gt; &amp; <@U12345> <https://x.example/p?a=1|link> &amp; &lt;!channel&gt;");
    expect(message.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: message.text, verbatim: true } }]);
  });

  it("passes the request-received text through unchanged", () => {
    const text = requestReceivedMessage(card({ resources: [{ kind: "db", label: "a&b" }] })).text;
    expect(ephemeralText(text).text).toBe(text);
  });
});

describe("slackAppManifest", () => {
  it("points the command and interactivity at the space's endpoints", () => {
    const manifest = slackAppManifest({ publicUrl: "https://gl.example.com/", spaceName: "team a" });
    expect(manifest.features.slash_commands[0]).toMatchObject({
      command: "/greenlight",
      url: "https://gl.example.com/v1/slack/team%20a/commands",
      usage_hint: "request [search]",
      should_escape: false,
    });
    expect(manifest.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: "https://gl.example.com/v1/slack/team%20a/interactions",
    });
    expect(manifest.oauth_config.scopes.bot).toEqual([
      "chat:write",
      "chat:write.public",
      "commands",
      "im:write",
      "users:read",
      "users:read.email",
    ]);
    expect(manifest.display_information.name).toBe("Greenlight");
  });

  it("agrees with the example in docs/", () => {
    const documented = parse(readFileSync(new URL("../../../../docs/slack-app-manifest.yaml", import.meta.url), "utf8"));
    expect(documented).toEqual(slackAppManifest({ publicUrl: "https://greenlight.example.com", spaceName: "default" }));
  });

  it("round-trips through YAML", () => {
    const manifest = slackAppManifest({ publicUrl: "https://gl.example.com", spaceName: "default", appName: "Access" });
    expect(parse(manifestYaml(manifest))).toEqual(manifest);
  });
});
