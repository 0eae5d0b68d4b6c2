import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isIP, type AddressInfo, type LookupFunction } from "node:net";
import { Agent } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OutboundBlockedError, parseOutboundAllowList } from "../../src/integrations/outbound/address-policy.js";
import {
  createGuardedFetch,
  findOutboundBlocked,
  isOutboundBlocked,
  type GuardedFetch,
} from "../../src/integrations/outbound/guarded-fetch.js";

/**
 * The guard against real sockets: a server on a loopback address stands for a service on the
 * host's own network, and counts every connection it accepts, so "refused" means nothing
 * reached it. Each listens on an address of its own in 127/8 (Linux routes all of it to
 * loopback), so a stray connection from another test's server to a recycled port on 127.0.0.1
 * cannot be counted here.
 */

interface Target {
  host: string;
  port: number;
  connections: number;
  requests: Array<{ method: string; url: string; host: string; body: string }>;
  respond: (req: IncomingMessage, res: ServerResponse, body: string) => void;
  close(): Promise<void>;
}

let addresses = 0;
function ownLoopbackAddress(): string {
  addresses += 1;
  return `127.${(process.pid % 250) + 1}.${(addresses % 250) + 1}.${Math.floor(Math.random() * 250) + 3}`;
}

async function startTarget(host = ownLoopbackAddress(), port = 0): Promise<Target> {
  const target: Target = {
    host,
    port: 0,
    connections: 0,
    requests: [],
    respond: (_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("hello from inside"),
    close: async () => {},
  };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      target.requests.push({ method: req.method ?? "", url: req.url ?? "", host: req.headers.host ?? "", body });
      target.respond(req, res, body);
    });
  });
  server.on("connection", () => target.connections++);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  target.port = (server.address() as AddressInfo).port;
  target.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return target;
}

/** A resolver that gives the nth answer to the nth question (the last one after that). */
function scriptedLookup(...answers: string[][]): LookupFunction & { questions: string[] } {
  const questions: string[] = [];
  const lookup: LookupFunction = (hostname, _options, callback) => {
    questions.push(hostname);
    const answer = answers[Math.min(questions.length, answers.length) - 1]!;
    setImmediate(() =>
      callback(
        null,
        answer.map((address) => ({ address, family: isIP(address) })),
      ),
    );
  };
  return Object.assign(lookup, { questions });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the request to fail, but it succeeded");
}

/** The request failed because of the policy, with the refusal where callers read `cause`. */
function expectBlocked(error: unknown, address: string): OutboundBlockedError {
  expect(isOutboundBlocked(error)).toBe(true);
  const blocked = findOutboundBlocked(error)!;
  expect(blocked.address).toBe(address);
  expect((error as Error).cause).toBe(blocked);
  return blocked;
}

let target: Target;
let fetches: GuardedFetch[];

/** A guarded fetch closed after the test. */
function guarded(setting: string, lookup?: LookupFunction): GuardedFetch {
  const fetch = createGuardedFetch(parseOutboundAllowList(setting), lookup ? { lookup } : {});
  fetches.push(fetch);
  return fetch;
}

beforeEach(async () => {
  target = await startTarget();
  fetches = [];
});

afterEach(async () => {
  await Promise.all(fetches.map((fetch) => fetch.close()));
  await target.close();
});

describe("refused by default", () => {
  it("refuses a loopback address before connecting, and says how to allow it", async () => {
    const error = await rejectionOf(guarded("")(`http://${target.host}:${target.port}/hook`, { redirect: "error" }));
    const blocked = expectBlocked(error, target.host);
    expect(blocked.message).toContain(`refusing to connect to ${target.host} (loopback): `);
    expect(blocked.message).toContain(`GREENLIGHT_OUTBOUND_ALLOW=${target.host}`);
    expect(target.connections).toBe(0);
  });

  it("refuses localhost, which resolves to loopback", async () => {
    const local = await startTarget("127.0.0.1");
    try {
      const error = await rejectionOf(guarded("")(`http://localhost:${local.port}/hook`));
      const blocked = findOutboundBlocked(error);
      expect(blocked?.host).toBe("localhost");
      expect(blocked?.message).toMatch(/\(loopback\) for localhost: .*GREENLIGHT_OUTBOUND_ALLOW=localhost \(this host name\)/);
      expect(local.requests).toHaveLength(0);
    } finally {
      await local.close();
    }
  });

  it.each(["[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "127.1"])("refuses http://%s", async (host) => {
    const error = await rejectionOf(guarded("")(`http://${host}:${target.port}/`));
    expect(isOutboundBlocked(error)).toBe(true);
    expect(target.connections).toBe(0);
  });

  it("cannot be bypassed with a dispatcher of the caller's", async () => {
    const own = new Agent();
    const init = { dispatcher: own } as RequestInit;
    const error = await rejectionOf(guarded("")(`http://${target.host}:${target.port}/`, init));
    expect(isOutboundBlocked(error)).toBe(true);
    expect(target.connections).toBe(0);
    await own.close();
  });

  it("is not confused with other failures", async () => {
    const closed = await startTarget();
    await closed.close();
    const error = await rejectionOf(guarded("loopback")(`http://${closed.host}:${closed.port}/`));
    expect(error).toBeInstanceOf(TypeError);
    expect(isOutboundBlocked(error)).toBe(false);
  });
});

describe("allowed by the operator", () => {
  it.each(["loopback", "TARGET/32", "TARGET", "private"])("reaches a loopback address with %j", async (pattern) => {
    const response = await guarded(pattern.replace("TARGET", target.host))(`http://${target.host}:${target.port}/hook`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("hello from inside");
    expect(target.requests).toHaveLength(1);
  });

  it("reaches localhost when the name is allowed", async () => {
    const local = await startTarget("127.0.0.1");
    try {
      const response = await guarded("localhost")(`http://localhost:${local.port}/hook`);
      expect(response.status).toBe(200);
      expect(local.requests[0]?.host).toBe(`localhost:${local.port}`);
    } finally {
      await local.close();
    }
  });

  it("does not let an allowed address stand for its neighbours", async () => {
    const error = await rejectionOf(guarded("127.0.0.2/32")(`http://${target.host}:${target.port}/`));
    expectBlocked(error, target.host);
    expect(target.connections).toBe(0);
  });

  it("works end to end: method, headers, body and status", async () => {
    target.respond = (req, res, body) =>
      res.writeHead(201, { "content-type": "application/json", "x-seen": String(req.headers["x-greenlight"]) }).end(body.toUpperCase());
    const response = await guarded("loopback")(`http://${target.host}:${target.port}/events?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-greenlight": "yes" },
      body: JSON.stringify({ kind: "petition.created" }),
      redirect: "error",
      signal: AbortSignal.timeout(5000),
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get("x-seen")).toBe("yes");
    expect(await response.json()).toEqual({ KIND: "PETITION.CREATED" });
    expect(target.requests).toEqual([
      { method: "POST", url: "/events?x=1", host: `${target.host}:${target.port}`, body: '{"kind":"petition.created"}' },
    ]);
  });
});

describe("resolution", () => {
  it("connects where it checked: a name that rebinds to loopback on the next lookup is refused then", async () => {
    // 127.0.0.2 is allowed here and stands for a public address, so nothing leaves the machine.
    const outside = await startTarget("127.0.0.2", target.port);
    try {
      outside.respond = (_req, res) => res.writeHead(200, { connection: "close" }).end("outside");
      const lookup = scriptedLookup(["127.0.0.2"], [target.host]);
      const fetch = guarded("127.0.0.2", lookup);
      const url = `http://rebind.example.com:${target.port}/`;

      const first = await fetch(url);
      expect(await first.text()).toBe("outside");
      expect(lookup.questions).toEqual(["rebind.example.com"]); // one answer, used for the connection

      const error = await rejectionOf(fetch(url));
      expect(expectBlocked(error, target.host).host).toBe("rebind.example.com");
      expect(lookup.questions).toHaveLength(2);
      expect(outside.requests).toHaveLength(1);
      expect(target.connections).toBe(0);
    } finally {
      await outside.close();
    }
  });

  it.each([[["8.8.8.8", "TARGET"]], [["TARGET", "8.8.8.8"]], [["2606:4700::1111", "::ffff:TARGET"]]])(
    "refuses an answer with any private address in it: %j",
    async (answer) => {
      const lookup = scriptedLookup(answer.map((address) => address.replace("TARGET", target.host)));
      const error = await rejectionOf(guarded("", lookup)(`http://mixed.example.com:${target.port}/`));
      expect(isOutboundBlocked(error)).toBe(true);
      expect(findOutboundBlocked(error)?.host).toBe("mixed.example.com");
      expect(target.connections).toBe(0);
    },
  );

  it("allows a name's private answers when the name is allowed", async () => {
    const lookup = scriptedLookup([target.host]);
    const response = await guarded("hooks.internal.example.com", lookup)(`http://hooks.internal.example.com:${target.port}/`);
    expect(response.status).toBe(200);
    expect(target.requests[0]?.host).toBe(`hooks.internal.example.com:${target.port}`);
  });

  it("accepts a resolver that answers one address, as dns.lookup does without all", async () => {
    const lookup: LookupFunction = (_hostname, _options, callback) => callback(null, target.host, 4);
    const error = await rejectionOf(guarded("", lookup)(`http://one.example.com:${target.port}/`));
    expectBlocked(error, target.host);
    expect(target.connections).toBe(0);
  });

  it("passes a resolver's failure on as a network failure", async () => {
    const lookup: LookupFunction = (hostname, _options, callback) =>
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
    const error = await rejectionOf(guarded("", lookup)("http://missing.example.com/"));
    expect(isOutboundBlocked(error)).toBe(false);
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe("ENOTFOUND");
  });
});

describe("redirects", () => {
  beforeEach(() => {
    target.respond = (_req, res) => res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
  });

  it("hands a redirect back with redirect: manual, without following it", async () => {
    const response = await guarded("loopback")(`http://${target.host}:${target.port}/hook`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://169.254.169.254/latest/meta-data/");
    expect(target.requests).toHaveLength(1);
  });

  it("checks a followed redirect's destination too", async () => {
    const error = await rejectionOf(guarded("loopback")(`http://${target.host}:${target.port}/hook`, { redirect: "follow" }));
    expectBlocked(error, "169.254.169.254");
    expect(target.requests).toHaveLength(1);
  });
});

describe("send, the delivery job's lighter request", () => {
  const post = (body = "{}") => ({
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    signal: AbortSignal.timeout(5000),
  });

  it("is refused the same addresses, before connecting", async () => {
    const error = await rejectionOf(guarded("").send(`http://${target.host}:${target.port}/hook`, post()));
    expect(isOutboundBlocked(error)).toBe(true);
    expect(findOutboundBlocked(error)?.host).toBe(target.host);
    expect(target.connections).toBe(0);
  });

  it("sends the request and reads at most what it is asked to of the answer", async () => {
    target.respond = (req, res, body) =>
      res.writeHead(202, { "retry-after": "7", "x-seen": String(req.headers["content-type"]) }).end(`${body}${"x".repeat(100_000)}`);
    const answer = await guarded("loopback").send(`http://${target.host}:${target.port}/events?x=1`, post('{"a":1}'));
    expect(answer.status).toBe(202);
    expect(answer.header("Retry-After")).toBe("7");
    expect(answer.header("x-seen")).toBe("application/json");
    expect(await answer.read(10)).toBe('{"a":1}xxx');
    expect(target.requests).toEqual([{ method: "POST", url: "/events?x=1", host: `${target.host}:${target.port}`, body: '{"a":1}' }]);
  });

  it("never follows a redirect: the 3xx is the answer", async () => {
    target.respond = (_req, res) => res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    const answer = await guarded("loopback").send(`http://${target.host}:${target.port}/hook`, post());
    expect(answer.status).toBe(302);
    expect(answer.header("location")).toBe("http://169.254.169.254/latest/meta-data/");
    expect(target.requests).toHaveLength(1);
  });
});
