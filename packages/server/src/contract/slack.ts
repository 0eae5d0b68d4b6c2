import Type, { type Static } from "typebox";

/** A space's Slack app: its settings (secrets written, never read back), manifest and test. */

const Time = Type.String({ format: "date-time" });

export const SlackAppOut = Type.Object(
  {
    spaceName: Type.String(),
    apiUrl: Type.String(),
    teamId: Type.Optional(Type.String()),
    defaultChannels: Type.Array(Type.String()),
    expiryReminder: Type.String({ description: "How long before a grant expires its petitioners are reminded (0s: never)" }),
    botTokenHint: Type.String(),
    signingSecretHint: Type.String(),
    interactivityUrl: Type.String({ description: "The Request URL for Interactivity & Shortcuts in the Slack app's settings" }),
    commandsUrl: Type.String({ description: "The Request URL of the /greenlight slash command" }),
    createTime: Time,
    updateTime: Time,
    lastSuccessTime: Type.Optional(Time),
    lastError: Type.Optional(Type.String()),
    lastErrorTime: Type.Optional(Time),
  },
  { title: "SlackApp" },
);
export type SlackAppOut = Static<typeof SlackAppOut>;

const SlackAppInput = Type.Object(
  {
    botToken: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: "The bot token (xoxb-…); required the first time" })),
    signingSecret: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: "The app's signing secret; required the first time" }),
    ),
    apiUrl: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2048, description: "Slack's Web API (default https://slack.com/api/), or a proxy" }),
    ),
    teamId: Type.Optional(
      Type.Union([Type.String({ maxLength: 32 }), Type.Null()], { description: "Only this workspace's users may act; null for any" }),
    ),
    defaultChannels: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 81 }), {
        maxItems: 20,
        description: "Channels asked when a policy names none",
      }),
    ),
    expiryReminder: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'e.g. "15m"; "0s" for no reminder' })),
  },
  { additionalProperties: false, title: "SlackAppInput" },
);
export type SlackAppInput = Static<typeof SlackAppInput>;

export const SlackAppBody = Type.Object({ slack: SlackAppInput }, { additionalProperties: false });

export const SlackManifestQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal("json"), Type.Literal("yaml")], { description: "json (default) or yaml" })) },
  { additionalProperties: false },
);

export const SlackManifestOut = Type.Unknown();

export const SlackTestOut = Type.Object(
  {
    ok: Type.Boolean(),
    team: Type.Optional(Type.String()),
    teamId: Type.Optional(Type.String()),
    botUserId: Type.Optional(Type.String()),
    error: Type.Optional(Type.String()),
  },
  { title: "SlackTestResult" },
);
export type SlackTestOut = Static<typeof SlackTestOut>;
