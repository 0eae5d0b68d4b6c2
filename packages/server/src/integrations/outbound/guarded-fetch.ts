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
  /** Closes the pooled connections; later calls fail. */
  close(): Promise<void>;
};

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
  return Object.assign(guarded, { close: () => agent.close() });
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
