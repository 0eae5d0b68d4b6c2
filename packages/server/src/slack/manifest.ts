import { stringify } from "yaml";

/**
 * The Slack app manifest for one space: paste it into "Create New App → From an app manifest"
 * and the app has this server's command and interactivity URLs and exactly the scopes Greenlight
 * uses. Each space has its own app (its own signing secret), so the space is in every URL.
 *
 * It is a classic HTTP app, so it declares manifest version 1 (the shape of `display_information`,
 * `features`, `oauth_config`, `settings`); version 2 is meant for Slack-hosted workflow apps.
 */
export interface SlackAppManifest {
  _metadata: { major_version: number; minor_version: number };
  display_information: { name: string; description: string; long_description?: string; background_color?: string };
  features: {
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: Array<{ command: string; url: string; description: string; usage_hint: string; should_escape: boolean }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

/** What each scope is for: posting reviews (also in public channels it was not invited to), DMs, and mapping users by email. */
const BOT_SCOPES = ["chat:write", "chat:write.public", "commands", "im:write", "users:read", "users:read.email"];

export function slackAppManifest({
  publicUrl,
  spaceName,
  appName = "Greenlight",
}: {
  publicUrl: string;
  spaceName: string;
  appName?: string;
}): SlackAppManifest {
  const base = `${publicUrl.replace(/\/+$/, "")}/v1/slack/${encodeURIComponent(spaceName)}`;
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      // Slack allows 35 characters for the name and 140 for the description.
      name: appName.slice(0, 35),
      description: "Review access requests and request just-in-time access, from Slack.",
    },
    features: {
      // The bot's display name is at most 80 characters.
      bot_user: { display_name: appName.slice(0, 80), always_online: true },
      slash_commands: [
        {
          command: "/greenlight",
          url: `${base}/commands`,
          description: "Request access to a resource, or get help",
          usage_hint: "request [search]",
          should_escape: false,
        },
      ],
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      interactivity: { is_enabled: true, request_url: `${base}/interactions` },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}

/** The manifest as YAML, the form Slack's "From an app manifest" dialog opens with. */
export function manifestYaml(manifest: object): string {
  return stringify(manifest, { lineWidth: 0 });
}
