import { petitionWebUrl } from "../petitions/petition-url.js";
import type { WebClient } from "@slack/web-api";
import type { AttemptOutcome } from "../../domain/delivery.js";
import type { Petition, PetitionEvent } from "../../domain/petition.js";
import { resourceEmail } from "../../domain/resource.js";
import type { SlackApp, SlackMessageRef, SlackOperation } from "../../domain/slack.js";
import type { OutboxEntry } from "../../store/repositories/outbox.js";
import { decisionMessage, ephemeralText, expiryReminderMessage, reviewMessage } from "../../slack/blocks.js";
import type { PetitionCard } from "../../slack/card.js";
import { classifySlackError, slackClient } from "../../slack/web-api.js";
import type { Services } from "../runtime/context.js";
import { petitionCard } from "./slack-card.js";
import { handleSlackInteraction, type SlackRun as InteractionRun } from "./slack-interactions.js";
import { EMAIL_DESTINATION } from "./slack-notify.js";
import { resolveSpaceById } from "../identity/resolve-space.js";

/**
 * Carries out one Slack delivery from the outbox: posts and updates render the petition as it
 * is now (so a late or repeated one never shows an old state), direct messages find the person
 * by email, and interactions Slack sent are acted on. What a failure means is the outbox's
 * business: a rate limit or an outage is tried again later, an answer Slack would give again
 * fails the delivery at once.
 */
export interface SlackAttempt {
  outcome: AttemptOutcome;
  status: number | null;
  /** A short account of what was done, for the delivery log. */
  answer: string;
}

export async function performSlackOperation(
  services: Services,
  app: SlackApp,
  entry: OutboxEntry,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<SlackAttempt> {
  const operation = JSON.parse(entry.body) as SlackOperation;
  const client = slackClient({
    token: app.botToken,
    apiUrl: app.apiUrl,
    fetch: abortable(services, options.signal),
    timeoutMs: options.timeoutMs,
  });
  const run = new SlackRun(services, app, client, entry.spaceId);
  try {
    const answer = await serialized(`${entry.spaceId}\u0000${entry.petitionName ?? entry.id}`, () => run.perform(operation));
    return { outcome: { kind: "delivered" }, status: 200, answer };
  } catch (error) {
    const { status, ...outcome } = classifySlackError(error);
    return { outcome, status: status ?? null, answer: "" };
  }
}

/** The server's guarded fetch, cut off when the server stops. */
function abortable(services: Services, stopping: AbortSignal): typeof services.outbound.fetch {
  const fetch: typeof services.outbound.fetch = Object.assign(
    (input: string | URL, init?: RequestInit) =>
      services.outbound.fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, stopping]) : stopping }),
    { send: services.outbound.fetch.send, close: services.outbound.fetch.close },
  );
  return fetch;
}

/**
 * Calls about one petition run one at a time in this process: a post and an update racing
 * could otherwise leave a message showing the older state, or post it twice.
 */
const running = new Map<string, Promise<unknown>>();

async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = running.get(key) ?? Promise.resolve();
  const next = before.then(fn, fn);
  const settled = next.catch(() => undefined);
  running.set(key, settled);
  try {
    return await next;
  } finally {
    if (running.get(key) === settled) running.delete(key);
  }
}

/** One delivery's work, with what it needs at hand. */
export class SlackRun implements InteractionRun {
  constructor(
    readonly services: Services,
    readonly app: SlackApp,
    readonly client: WebClient,
    readonly spaceId: string,
  ) {}

  async perform(operation: SlackOperation): Promise<string> {
    switch (operation.op) {
      case "post":
        return this.post(operation.petition, operation.destination);
      case "sync":
        return this.sync(operation.petition);
      case "decision":
        return this.tellPetitioners(operation.petition, (card) => decisionMessage(card));
      case "reminder":
        return this.remind(operation.petition, operation.expireAt);
      case "ephemeral": {
        await this.client.chat.postEphemeral({ channel: operation.channel, user: operation.user, ...ephemeralText(operation.text) });
        return `told ${operation.user} in ${operation.channel}`;
      }
      case "dm": {
        const sent = await this.client.chat.postMessage({ channel: operation.user, ...ephemeralText(operation.text) });
        return `sent to ${operation.user} (${String(sent.channel)} ${String(sent.ts)})`;
      }
      case "view": {
        if (this.services.clock.now() > operation.notAfter) {
          await this.explainLater(operation, "The form could not open in time. Please try again.");
          return "the trigger had expired: Slack opens a modal only within 3 s of the click";
        }
        await this.client.views.open({ trigger_id: operation.triggerId, view: operation.view as never });
        return `opened a modal for ${operation.user}`;
      }
      case "interaction":
        return handleSlackInteraction(this, operation);
    }
  }

  /** The petition as it is now, with its history; undefined once it is gone. */
  async load(name: string): Promise<{ petition: Petition; history: PetitionEvent[] } | undefined> {
    const space = await resolveSpaceById(this.services, this.spaceId);
    const petition = await this.services.store.read.petitions.get(space, name);
    if (!petition || petition.deletedAt !== null) return undefined;
    const history = (await this.services.store.read.petitions.eventsOf(this.spaceId, [name])).get(name) ?? [];
    return { petition, history };
  }

  card(petition: Petition, history: PetitionEvent[]): PetitionCard {
    return petitionCard(petition, history, { limits: this.services.limits, webUrl: petitionWebUrl(this.services, petition) });
  }

  /** The Slack user id of a person, by email; undefined when the workspace has nobody with it. */
  async slackUserByEmail(email: string): Promise<string | undefined> {
    try {
      const found = await this.client.users.lookupByEmail({ email });
      return found.user?.id;
    } catch (error) {
      if (isSlackError(error, "users_not_found")) return undefined;
      throw error;
    }
  }

  private async post(name: string, destination: string): Promise<string> {
    const loaded = await this.load(name);
    if (!loaded) return "the petition no longer exists";
    const existing = await this.services.store.read.slack.getMessage(this.spaceId, name, destination);
    if (existing) return this.update(loaded.petition, loaded.history, [existing]);
    if (loaded.petition.phase !== "open")
      return `not posted: the petition was ${loaded.petition.outcome ?? loaded.petition.phase} meanwhile`;
    let channel = destination;
    if (destination.startsWith(EMAIL_DESTINATION)) {
      const user = await this.slackUserByEmail(destination.slice(EMAIL_DESTINATION.length));
      if (user === undefined)
        return `not posted: nobody in the Slack workspace has the email ${destination.slice(EMAIL_DESTINATION.length)}`;
      channel = user;
    }
    const message = reviewMessage(this.card(loaded.petition, loaded.history));
    const posted = await this.client.chat.postMessage({ channel, ...message, unfurl_links: false, unfurl_media: false });
    const ref: SlackMessageRef = {
      spaceId: this.spaceId,
      petitionName: name,
      destination,
      channel: String(posted.channel),
      ts: String(posted.ts),
      renderedVersion: loaded.petition.version,
    };
    const now = this.services.clock.now();
    await this.services.store.transaction((tx) => tx.slack.insertMessage(ref, now));
    // Decided while it was being posted: show that at once rather than wait for the next change.
    const after = await this.load(name);
    if (after && after.petition.version > ref.renderedVersion) await this.update(after.petition, after.history, [ref]);
    return `posted to ${ref.channel} (${ref.ts})`;
  }

  private async sync(name: string): Promise<string> {
    const loaded = await this.load(name);
    if (!loaded) return "the petition no longer exists";
    const refs = await this.services.store.read.slack.messagesOf(this.spaceId, name);
    return this.update(loaded.petition, loaded.history, refs);
  }

  private async update(petition: Petition, history: PetitionEvent[], refs: SlackMessageRef[]): Promise<string> {
    const stale = refs.filter((ref) => ref.renderedVersion < petition.version);
    if (stale.length === 0) return "every message is up to date";
    const message = reviewMessage(this.card(petition, history));
    for (const ref of stale) {
      try {
        await this.client.chat.update({ channel: ref.channel, ts: ref.ts, ...message });
      } catch (error) {
        // Deleted in Slack: nothing is left to update there.
        if (!isSlackError(error, "message_not_found") && !isSlackError(error, "channel_not_found")) throw error;
      }
      const now = this.services.clock.now();
      await this.services.store.transaction((tx) => tx.slack.markRendered(ref, petition.version, now));
    }
    return `updated ${stale.length} message(s) to version ${petition.version}`;
  }

  private async remind(name: string, expireAt: number): Promise<string> {
    const loaded = await this.load(name);
    if (!loaded || loaded.petition.phase !== "granted" || loaded.petition.expireAt !== expireAt) {
      return "no reminder: the access ended or changed meanwhile";
    }
    const minutes = Math.max(1, Math.round((expireAt - this.services.clock.now()) / 60_000));
    return this.tellPetitioners(name, (card) => expiryReminderMessage(card, minutes), loaded);
  }

  private async tellPetitioners(
    name: string,
    render: (card: PetitionCard) => { text: string; blocks: object[] },
    preloaded?: { petition: Petition; history: PetitionEvent[] },
  ): Promise<string> {
    const loaded = preloaded ?? (await this.load(name));
    if (!loaded) return "the petition no longer exists";
    const message = render(this.card(loaded.petition, loaded.history));
    const told: string[] = [];
    for (const petitioner of loaded.petition.petitioners) {
      const email = resourceEmail(petitioner);
      const user = email === undefined ? undefined : await this.slackUserByEmail(email);
      if (user === undefined) continue;
      await this.client.chat.postMessage({ channel: user, ...message, unfurl_links: false });
      told.push(email!);
    }
    return told.length > 0 ? `told ${told.join(", ")}` : "no petitioner is in the Slack workspace";
  }

  private async explainLater(operation: { user: string; channel?: string }, text: string): Promise<void> {
    if (operation.channel)
      await this.client.chat.postEphemeral({ channel: operation.channel, user: operation.user, ...ephemeralText(text) });
    else await this.client.chat.postMessage({ channel: operation.user, ...ephemeralText(text) });
  }
}

export function isSlackError(error: unknown, code: string): boolean {
  return typeof error === "object" && error !== null && (error as { data?: { error?: unknown } }).data?.error === code;
}
