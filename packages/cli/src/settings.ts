import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** What `greenlight login` saves: where the server is, which space, and the token to use. */
export interface SavedSettings {
  url?: string;
  space?: string;
  token?: string;
}

/** `$GREENLIGHT_CONFIG`, else `$XDG_CONFIG_HOME/greenlight/config.json`, else `~/.config/greenlight/config.json`. */
export function configPath(): string {
  if (process.env.GREENLIGHT_CONFIG) return process.env.GREENLIGHT_CONFIG;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "greenlight", "config.json");
}

export function loadSaved(): SavedSettings {
  try {
    const parsed: unknown = JSON.parse(readFileSync(configPath(), "utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as SavedSettings) : {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`could not read ${configPath()}: ${(error as Error).message}; fix it or run greenlight login again`, { cause: error });
  }
}

/** Saves the settings readable by the user alone: the file holds a token. */
export function save(settings: SavedSettings): string {
  const path = configPath();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

export function forget(): string {
  const path = configPath();
  rmSync(path, { force: true });
  return path;
}

/** Flags beat the environment, which beats the saved settings. */
export function effectiveSettings(flags: { url?: string; space?: string; token?: string }): SavedSettings {
  const saved = loadSaved();
  return {
    url: flags.url ?? process.env.GREENLIGHT_API_URL ?? saved.url,
    space: flags.space ?? process.env.GREENLIGHT_SPACE ?? process.env.INDENT_SPACE ?? saved.space,
    token: flags.token ?? process.env.GREENLIGHT_API_TOKEN ?? process.env.INDENT_API_TOKEN ?? saved.token,
  };
}

/** The signing secret `greenlight webhooks test` uses when none is given: Indent's variable, then ours. */
export function webhookSecretFromEnv(): string | undefined {
  return process.env.INDENT_WEBHOOK_SECRET || process.env.GREENLIGHT_WEBHOOK_SECRET || undefined;
}

/** The Slack app's secrets `greenlight slack set` sends when no flag gives them, so they need not be on a command line. */
export function slackSecretsFromEnv(): { botToken?: string; signingSecret?: string } {
  return { botToken: process.env.SLACK_BOT_TOKEN || undefined, signingSecret: process.env.SLACK_SIGNING_SECRET || undefined };
}
