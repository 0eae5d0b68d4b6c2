import pg from "pg";
import type { Repositories } from "./store.js";

/**
 * Cross-replica wake-ups on PostgreSQL. A transaction that creates or changes petitions sends
 * a NOTIFY with their names, which PostgreSQL delivers when, and only if, it commits; every
 * replica LISTENs on a connection of its own and wakes its own waiters. Notifications are
 * hints, as the in-process ones are: waiters read the petition again.
 */
export const PETITIONS_CHANNEL = "greenlight_petitions";

/** PostgreSQL refuses payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7000;

/** Records the petitions this transaction's repositories insert or update. */
export function notePetitionChanges(repos: Repositories): Map<string, [string, string]> {
  const changed = new Map<string, [string, string]>();
  const petitions = repos.petitions;
  const insert = petitions.insert.bind(petitions);
  const update = petitions.update.bind(petitions);
  const note = (spaceId: string, name: string) => changed.set(`${spaceId}\u0000${name}`, [spaceId, name]);
  petitions.insert = async (petition) => {
    await insert(petition);
    note(petition.spaceId, petition.name);
  };
  petitions.update = async (petition) => {
    await update(petition);
    note(petition.spaceId, petition.name);
  };
  return changed;
}

interface Payload {
  /** The server that sent it. */
  o: string;
  /** [space id, petition name] pairs. */
  p: Array<[string, string]>;
}

export function notificationPayloads(origin: string, changed: Map<string, [string, string]>): string[] {
  const payloads: string[] = [];
  let batch: Array<[string, string]> = [];
  let size = 0;
  for (const pair of changed.values()) {
    const cost = pair[0].length + pair[1].length + 8;
    if (batch.length > 0 && size + cost > MAX_PAYLOAD) {
      payloads.push(JSON.stringify({ o: origin, p: batch } satisfies Payload));
      batch = [];
      size = 0;
    }
    batch.push(pair);
    size += cost;
  }
  if (batch.length > 0) payloads.push(JSON.stringify({ o: origin, p: batch } satisfies Payload));
  return payloads;
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/** One LISTEN connection, connected again with backoff whenever it is lost. */
export class PetitionListener {
  private client: pg.Client | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private delayMs = RECONNECT_MIN_MS;
  /** Whether a connection has been up before: the first one needs no re-read. */
  private wasConnected = false;
  private readonly ready: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly origin: string,
    private readonly onChange: (spaceId: string, name: string) => void,
    private readonly onReconnect: () => void,
    private readonly onError: (error: unknown, what: string) => void,
  ) {
    this.ready = this.connect();
  }

  /** Resolves once the first attempt to connect has finished, whatever its outcome. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.url,
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
      application_name: "greenlight-listen",
    });
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (error !== undefined && !this.closed) this.onError(error, "the connection that listens for other replicas' changes failed");
      this.retry();
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    client.on("notification", (message) => this.handle(message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${PETITIONS_CHANNEL}`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.delayMs = RECONNECT_MIN_MS;
    if (this.wasConnected) this.onReconnect();
    this.wasConnected = true;
  }

  private retry(): void {
    if (this.closed || this.timer) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(RECONNECT_MAX_MS, this.delayMs * 2);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Whatever was committed while no connection listened has been missed.
      this.wasConnected = true;
      void this.connect();
    }, delay);
  }

  private handle(payload: string | undefined): void {
    if (!payload) return;
    let message: Payload;
    try {
      message = JSON.parse(payload) as Payload;
    } catch {
      return;
    }
    if (message.o === this.origin || !Array.isArray(message.p)) return;
    for (const [spaceId, name] of message.p) this.onChange(spaceId, name);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
