import { UsageError } from "../output.js";

/**
 * Keeps web pages away from `greenlight mcp --http`, as the MCP specification's security
 * guidance asks of local servers. The endpoint acts with the agent's Greenlight token and
 * needs none from its caller, so any page the person opens could call it: directly (the
 * browser sends the page's `Origin`), or by DNS rebinding, where the page's own name is made
 * to resolve to 127.0.0.1 and its requests arrive same-origin, without an `Origin`, but with
 * the page's name in `Host`. So `Host` must name this server (a loopback name, the address it
 * listens on, or a name allowed by flag), and a request that carries an `Origin` must come
 * from an origin allowed by flag; agents, which are not browsers, send none.
 *
 * The MCP SDK's own checks do not fit here: the transport's `allowedHosts` and
 * `allowedOrigins` are deprecated in favour of Express middleware, and this server is plain
 * `node:http`.
 */

export interface BrowserGuard {
  /** Host names (without port; IPv6 in brackets) a request may name. */
  hosts: ReadonlySet<string>;
  /** Browser origins that may call, exactly as browsers write them. */
  origins: ReadonlySet<string>;
}

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];
const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);
/** A host name, IPv4 address or bracketed IPv6 address. */
const HOST_NAME = /^(?:\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/;
/** A Host header: such a name and a port. Nothing else (no user info, no path). */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::[0-9]{1,5})?$/;

export function browserGuard(options: { listenHost: string; allowedHosts: string[]; allowedOrigins: string[] }): BrowserGuard {
  const hosts = new Set(LOOPBACK);
  const listen = options.listenHost.toLowerCase();
  if (!WILDCARDS.has(listen)) hosts.add(listen.includes(":") && !listen.startsWith("[") ? `[${listen}]` : listen);
  for (const host of options.allowedHosts) {
    const name = host.trim().toLowerCase();
    if (!HOST_NAME.test(name)) {
      throw new UsageError(`--allowed-host must be a host name without a port, such as mcp.internal; got ${JSON.stringify(host)}`);
    }
    hosts.add(name);
  }
  const origins = new Set<string>();
  for (const origin of options.allowedOrigins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin === "null" || parsed.origin !== origin.replace(/\/$/, "")) {
      throw new UsageError(
        `--allowed-origin must be an origin such as https://console.example.com (scheme, host, port); got ${JSON.stringify(origin)}`,
      );
    }
    origins.add(parsed.origin);
  }
  return { hosts, origins };
}

/** Why a request with these headers is refused, or undefined when it may go on. */
export function refusal(
  guard: BrowserGuard,
  headers: { host?: string | undefined; origin?: string | string[] | undefined },
): string | undefined {
  const host = (headers.host ?? "").toLowerCase();
  const name = HOST_HEADER.exec(host)?.[1];
  if (name === undefined || !guard.hosts.has(name)) {
    return `Host ${JSON.stringify(headers.host ?? "")} is not this server's; it answers to ${[...guard.hosts].join(", ")} (allow another name with --allowed-host)`;
  }
  const origin = headers.origin;
  if (origin === undefined) return undefined;
  if (typeof origin !== "string" || !guard.origins.has(origin)) {
    return `requests from web pages are refused: Origin ${JSON.stringify(origin)} is not allowed (allow one with --allowed-origin)`;
  }
  return undefined;
}
