import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { checkAddress, OutboundBlockedError, type OutboundAllowList } from "./address-policy.js";

/**
 * `fetch` for admin-configured URLs, refusing to connect to private addresses the operator has
 * not allowed. The check runs on each new connection, on the addresses DNS answered, and the
 * socket connects to those same addresses: checking a URL when it is saved, or resolving twice,
 * would let a name that answers a public address first and a private one later (DNS rebinding)
 * through. Otherwise it is undici's fetch with undici's defaults; callers still choose how
 * redirects are handled, and a followed redirect is checked like any other connection.
 */
export type GuardedFetch = ((input: string | URL, init?: RequestInit) => Promise<Response>) & {
  /**
   * One request without fetch's machinery (streams, Request and Response objects), for the
   * delivery job's bursts: the same connections and the same address checks, and redirects
   * are never followed (a 3xx is an answer like any other).
   */
  send(url: string, init: OutboundRequest): Promise<OutboundAnswer>;
  /** Closes the pooled connections; later calls fail. */
  close(): Promise<void>;
};

export interface OutboundRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

export interface OutboundAnswer {
  status: number;
  header(name: string): string | undefined;
  /** The body as text, at most `maxBytes` of it; the rest is not read. */
  read(maxBytes: number): Promise<string>;
}

export interface GuardedFetchOptions {
  /** Resolves host names; `dns.lookup` unless a test injects answers. Called with `all: true`. */
  lookup?: LookupFunction;
}

/**
 * A refused connection rejects the call like any network failure (a `TypeError` whose `cause`
 * is the `OutboundBlockedError`); `isOutboundBlocked` tells the two apart.
 *
 * @example
 * const fetch = createGuardedFetch(parseOutboundAllowList(config.outboundAllow));
 * const response = await fetch(url, { method: "POST", body, redirect: "error", signal: AbortSignal.timeout(5000) });
 */
export function createGuardedFetch(allow: OutboundAllowList, options: GuardedFetchOptions = {}): GuardedFetch {
  const resolve: LookupFunction = options.lookup ?? dnsLookup;
  const lookup: LookupFunction = (host, lookupOptions, callback) => {
    resolve(host, { ...lookupOptions, all: true }, (error, answer) => {
      if (error) return callback(error, []);
      let addresses: LookupAddress[];
      try {
        addresses = checkedAddresses(host, answer, allow);
      } catch (refusal) {
        return callback(refusal as Error, []);
      }
      if (lookupOptions.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  const connect = buildConnector({ lookup });
  const agent = new Agent({
    connect(connectOptions, callback) {
      // net.connect does not call `lookup` for an IP literal, so the literal is checked here.
      if (isIP(connectOptions.hostname)) {
        try {
          checkAddress(connectOptions.hostname, connectOptions.hostname, allow);
        } catch (refusal) {
          return callback(refusal as Error, null);
        }
      }
      connect(connectOptions, callback);
    },
  });

  const guarded = (input: string | URL, init?: RequestInit): Promise<Response> =>
    // Our dispatcher last, so a caller's cannot replace it. undici's Request and Response are
    // the ones Node's own fetch is built from; only the type declarations are separate copies.
    undiciFetch(input, { ...init, dispatcher: agent } as Parameters<typeof undiciFetch>[1]) as unknown as Promise<Response>;
  const send = async (url: string, init: OutboundRequest): Promise<OutboundAnswer> => {
    const target = new URL(url);
    const response = await agent.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: init.method as "POST",
      headers: init.headers,
      body: init.body,
      signal: init.signal,
    });
    return {
      status: response.statusCode,
      header: (name) => {
        const value = response.headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      },
      read: async (maxBytes) => {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          chunks.push(chunk);
          size += chunk.byteLength;
          if (size >= maxBytes) {
            response.body.destroy();
            break;
          }
        }
        return Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8");
      },
    };
  };
  return Object.assign(guarded, { send, close: () => agent.close() });
}

/** Every address must pass: a connection may go to any of them. */
function checkedAddresses(host: string, answer: string | LookupAddress[], allow: OutboundAllowList): LookupAddress[] {
  const addresses = typeof answer === "string" ? [answer] : answer.map((a) => a.address);
  if (addresses.length === 0) throw Object.assign(new Error(`no addresses found for ${host}`), { code: "ENOTFOUND" });
  for (const address of addresses) checkAddress(address, host, allow);
  // The family is taken from the address itself, so net.connect cannot be told otherwise.
  return addresses.map((address) => ({ address, family: isIP(address) }));
}

/** The `OutboundBlockedError` behind a failed call, however deep undici wrapped it. */
export function findOutboundBlocked(error: unknown): OutboundBlockedError | undefined {
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); current = current.cause) {
    if (current instanceof OutboundBlockedError) return current;
    seen.add(current);
    if (current instanceof AggregateError) {
      const inner = current.errors.map(findOutboundBlocked).find((found) => found !== undefined);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Whether a failed call was refused by the address policy rather than by the network. */
export function isOutboundBlocked(error: unknown): boolean {
  return findOutboundBlocked(error) !== undefined;
}
