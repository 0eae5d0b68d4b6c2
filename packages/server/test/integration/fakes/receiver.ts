import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Socket } from "node:net";

/**
 * A webhook receiver on a loopback port, for delivery tests: it records every request (raw body,
 * headers, when it came) and answers as the test says. "Down" is an answer too (503, or the
 * connection cut): the port stays bound for the whole test, so no other process can take it and
 * get a stray delivery.
 */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  at: number;
}

export type Answer =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Keep the request open, unanswered, until the receiver closes. */
  | "hang"
  /** Cut the connection without answering. */
  | "destroy";

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** How the next requests are answered; a 200 with `{}` by default. */
  answer: (request: ReceivedRequest) => Answer | Promise<Answer>;
  /** Resolves once `count` requests (in all) have come in. */
  received(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startReceiver(path = "/hook", host = "127.0.0.1"): Promise<Receiver> {
  const sockets = new Set<Socket>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const receiver: Receiver = {
    url: "",
    requests: [],
    answer: () => ({ status: 200, body: {} }),
    received(count, timeoutMs = 20_000) {
      if (receiver.requests.length >= count) return Promise.resolve(receiver.requests);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the receiver got ${receiver.requests.length} requests, not ${count}, within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(receiver.requests);
          },
        });
      });
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      const request: ReceivedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, raw, body, at: Date.now() };
      receiver.requests.push(request);
      for (const waiter of waiters.filter((w) => receiver.requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      void Promise.resolve(receiver.answer(request)).then((answer) => {
        if (answer === "hang") return;
        if (answer === "destroy") {
          req.socket.destroy();
          return;
        }
        const text = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(text);
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  receiver.url = `http://${host}:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
