/**
 * The wire shapes of a space's Slack app: how Greenlight posts petitions to Slack and takes
 * decisions from its buttons and its `/greenlight` slash command.
 */
import type { components } from "./generated/api.js";

type Schemas = components["schemas"];

/**
 * The Slack app of a space. Its bot token and signing secret are never answered, only
 * hints of them; the two URLs are what to enter in the app's settings on api.slack.com.
 */
export type SlackApp = Schemas["SlackApp"];
/**
 * What `slack.set` sends: the bot token and signing secret are required the first time; after
 * that, what is left out stays as it is.
 */
export type SlackAppInput = Schemas["SlackAppInput"];
/** What Slack's `auth.test` said of the bot token: who the bot is, or why it was refused. */
export type SlackTestResult = Schemas["SlackTestResult"];
/** A Slack app manifest, as pasted into api.slack.com/apps → Create New App → From a manifest. */
export type SlackManifest = Record<string, unknown>;
