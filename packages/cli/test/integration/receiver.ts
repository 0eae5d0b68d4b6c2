import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { waitFor } from "../../../server/test/integration/harness.js";

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as it came. */
  raw: string;
  body: any;
  /** What the receiver's check said of the signature. */
  verified: boolean;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** What to answer a verified request; change it as the test goes. */
  answer: (request: Received) => Answer;
  /** Resolves once `count` requests have come. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** Refused as Indent's integrations refuse a bad signature: HTTP 200, status code 9. */
const REFUSED: Answer = { body: { status: { code: 9, message: "webhook failed: invalid signature - check webhook secret" } } };

/**
 * A webhook receiver on a loopback port: it checks each request's signature with `verify`,
 * refuses those that fail, and answers the others with `answer`. It listens until `close()`.
 */
export async function startReceiver(
  verify: (request: { headers: IncomingHttpHeaders; raw: string }) => Promise<boolean>,
): Promise<Receiver> {
  const receiver: Receiver = {
    url: "",
    received: [],
    answer: () => ({ body: { status: { code: 0 } } }),
    async waitFor(count, timeoutMs) {
      await waitFor(`request ${count} (${receiver.received.length} came)`, () => receiver.received.length >= count, timeoutMs);
      return receiver.received;
    },
    close: async () => {},
  };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk));
    req.on("end", async () => {
      const verified = await verify({ headers: req.headers, raw }).catch(() => false);
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // Kept as text.
      }
      const request: Received = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, raw, body, verified };
      receiver.received.push(request);
      const answer = verified ? receiver.answer(request) : REFUSED;
      res
        .writeHead(answer.status ?? 200, { "content-type": "application/json", ...answer.headers })
        .end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** Polls until `check` holds. */
export function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs?: number): Promise<void> {
  return waitFor(what, check, timeoutMs);
}
