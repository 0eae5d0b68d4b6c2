import { isIP } from "node:net";

/**
 * Which addresses the server may connect to on an admin's behalf. Webhook and on-call URLs are
 * typed in by admins, so without this a URL could reach the server's own network: services on
 * loopback, the cloud metadata endpoint, the rest of the private network. The ranges below are
 * refused unless the operator allows them (GREENLIGHT_OUTBOUND_ALLOW). Pure: `guarded-fetch.ts`
 * applies `checkAddress` at connect time, after DNS; `checkDestinationUrl` is for saving a URL.
 */

/** The setting that allows private destinations; refusals tell the operator to use it. */
export const OUTBOUND_ALLOW_VARIABLE = "GREENLIGHT_OUTBOUND_ALLOW";

/** An address range: the addresses whose first `prefix` bits are those of `base`. */
export interface Cidr {
  readonly version: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
  /** As written, e.g. `10.0.0.0/8`. */
  readonly text: string;
}

export interface OutboundAllowList {
  /** Ranges that may be reached although the policy forbids them. */
  readonly cidrs: readonly Cidr[];
  /** Host names (lower case, no trailing dot) that may resolve to forbidden addresses. */
  readonly hosts: readonly string[];
  /** The setting as written, quoted back in refusals. */
  readonly text: string;
}

/** A refused destination. `address` is absent when a name was refused before resolving it. */
export class OutboundBlockedError extends Error {
  override readonly name = "OutboundBlockedError";
  constructor(
    message: string,
    readonly host: string,
    readonly address: string | undefined,
  ) {
    super(message);
  }
}

/** An address as a number: 32 bits for IPv4, 128 for IPv6. */
interface Ip {
  version: 4 | 6;
  value: bigint;
}

interface ForbiddenRange {
  name: string;
  cidr: Cidr;
  /** For ranges that carry an IPv4 address inside (mapped, NAT64…): the address is judged by it. */
  inner?: (value: bigint) => bigint;
}

const low32 = (value: bigint) => value & 0xffff_ffffn;

// First match wins, so narrower ranges come before the ones that contain them.
const V4_RANGES: ForbiddenRange[] = [
  range("unspecified", "0.0.0.0/32"),
  range("this network", "0.0.0.0/8"),
  range("private (RFC 1918)", "10.0.0.0/8"),
  range("carrier-grade NAT", "100.64.0.0/10"),
  range("loopback", "127.0.0.0/8"),
  range("link-local (cloud metadata)", "169.254.169.254/32"),
  range("link-local", "169.254.0.0/16"),
  range("private (RFC 1918)", "172.16.0.0/12"),
  range("IETF protocol assignments", "192.0.0.0/24"),
  range("documentation", "192.0.2.0/24"),
  range("private (RFC 1918)", "192.168.0.0/16"),
  range("benchmarking", "198.18.0.0/15"),
  range("documentation", "198.51.100.0/24"),
  range("documentation", "203.0.113.0/24"),
  range("multicast", "224.0.0.0/4"),
  range("broadcast", "255.255.255.255/32"),
  range("reserved", "240.0.0.0/4"),
];

const V6_RANGES: ForbiddenRange[] = [
  range("unspecified", "::/128"),
  range("loopback", "::1/128"),
  range("IPv4-mapped", "::ffff:0:0/96", low32),
  range("IPv4-translated", "::ffff:0:0:0/96", low32),
  range("IPv4-compatible", "::/96", low32),
  range("NAT64", "64:ff9b::/96", low32),
  range("6to4", "2002::/16", (value) => (value >> 80n) & 0xffff_ffffn),
  range("NAT64 local-use", "64:ff9b:1::/48"),
  range("discard-only", "100::/64"),
  range("Teredo", "2001::/32"),
  range("benchmarking", "2001:2::/48"),
  range("documentation", "2001:db8::/32"),
  range("documentation", "3fff::/20"),
  range("unique local", "fc00::/7"),
  range("link-local", "fe80::/10"),
  range("site-local", "fec0::/10"),
  range("multicast", "ff00::/8"),
  // Only 2000::/3 is handed out for global unicast; the rest is reserved.
  range("reserved", "::/3"),
  range("reserved", "4000::/2"),
  range("reserved", "8000::/1"),
];

const LOOPBACK = [cidrOf("127.0.0.0/8"), cidrOf("::1/128")];
/** What a `localhost` name is expected to resolve to. */
const LOOPBACK_ADDRESSES = [parseIp("127.0.0.1")!, parseIp("::1")!];
const EVERY_FORBIDDEN = [...V4_RANGES, ...V6_RANGES].filter((r) => !r.inner).map((r) => r.cidr);

/**
 * The name of the forbidden range `address` is in, or undefined for a public address. Forms
 * that embed an IPv4 address (`::ffff:127.0.0.1`, NAT64, 6to4) are judged by it.
 *
 * @example forbiddenRange("::ffff:7f00:1") // "IPv4-mapped loopback"
 */
export function forbiddenRange(address: string): string | undefined {
  const ip = parseIp(withoutZone(address));
  if (!ip) throw new TypeError(`${JSON.stringify(address)} is not an IP address`);
  return classify(ip).name;
}

/** Throws `OutboundBlockedError` when `address` (resolved for `host`) is forbidden and not allowed. */
export function checkAddress(address: string, host: string, allow: OutboundAllowList): void {
  const name = normalizeHost(host);
  const ip = parseIp(withoutZone(address));
  if (!ip)
    throw new OutboundBlockedError(`refusing to connect to ${JSON.stringify(address)} for ${name}: not an IP address`, name, address);
  const { name: rangeName, inner } = classify(ip);
  if (rangeName === undefined || isAllowedIp(ip, inner, allow) || allow.hosts.includes(name)) return;
  const isLiteral = name === normalizeHost(address);
  const target = `${address} (${rangeName})${isLiteral ? "" : ` for ${name}`}`;
  throw new OutboundBlockedError(
    `refusing to connect to ${target}: ${advice(allow, address, isLiteral ? undefined : name)}`,
    name,
    address,
  );
}

/**
 * For saving a URL: refuses what is not http(s), IP literals in forbidden ranges and
 * `localhost` names, unless allowed. Other names are judged when connecting, since what they
 * resolve to can change. Throws `OutboundBlockedError` for a private destination, `Error` for
 * a URL that cannot be used at all.
 */
export function checkDestinationUrl(url: string, allow: OutboundAllowList): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`${JSON.stringify(url)} must be an http or https URL, not ${parsed.protocol}`);
  }
  const host = normalizeHost(parsed.hostname);
  if (parseIp(host)) {
    checkAddress(host, host, allow);
    return;
  }
  const isLoopbackName = host === "localhost" || host.endsWith(".localhost"); // RFC 6761
  if (!isLoopbackName || allow.hosts.includes(host) || LOOPBACK_ADDRESSES.some((ip) => isAllowedIp(ip, undefined, allow))) return;
  throw new OutboundBlockedError(`refusing ${host} (loopback): ${advice(allow, undefined, host)}`, host, undefined);
}

/**
 * Parses the comma-separated allow-list: `loopback`, `private` (everything this module
 * forbids), CIDRs, single addresses and exact host names. Throws on the first bad entry.
 *
 * @example parseOutboundAllowList("loopback, 10.0.0.0/8, hooks.internal.example.com")
 */
export function parseOutboundAllowList(text: string): OutboundAllowList {
  const cidrs: Cidr[] = [];
  const hosts: string[] = [];
  for (const part of text.split(",")) {
    const entry = part.trim();
    if (entry === "") continue;
    const word = entry.toLowerCase();
    if (word === "loopback") cidrs.push(...LOOPBACK);
    else if (word === "private") cidrs.push(...EVERY_FORBIDDEN);
    else if (entry.includes("://")) throw new Error(`${JSON.stringify(entry)}: give the host name alone, not a URL`);
    else if (entry.includes("/")) cidrs.push(parseCidrEntry(entry));
    else if (parseIp(unbracket(entry))) cidrs.push(parseCidrEntry(unbracket(entry)));
    else hosts.push(parseHostEntry(entry));
  }
  return { cidrs, hosts, text: text.trim() };
}

const EXPECTED = "expected loopback, private, a CIDR such as 10.0.0.0/8 or fd00::/8, an address such as 10.1.2.3, or a host name";

function parseCidrEntry(entry: string): Cidr {
  const [address = "", prefixText, extra] = entry.split("/");
  const ip = parseIp(unbracket(address));
  if (!ip || extra !== undefined) throw new Error(`${JSON.stringify(entry)} is not a valid entry: ${EXPECTED}`);
  const bits = ip.version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefixText !== undefined && (!/^\d{1,3}$/.test(prefixText) || prefix > bits)) {
    throw new Error(`${JSON.stringify(entry)} has a bad prefix length: expected a whole number from 0 to ${bits} after the "/"`);
  }
  // `10.1.2.3/8` is more likely a typo than a wish for all of 10/8, so it is refused, not rounded.
  if (mask(ip.value, bits, prefix) !== ip.value) {
    const suggestion = `${formatIp({ version: ip.version, value: mask(ip.value, bits, prefix) })}/${prefix}`;
    throw new Error(`${JSON.stringify(entry)} has bits set past its /${prefix} prefix: did you mean ${suggestion}?`);
  }
  return { version: ip.version, base: ip.value, prefix, text: entry };
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

function parseHostEntry(entry: string): string {
  const host = normalizeHost(entry);
  const labels = host.split(".");
  if (host.includes("*")) throw new Error(`${JSON.stringify(entry)}: wildcards are not supported; list each host name`);
  // A name whose last label is a number is read as an IPv4 address by URL parsers (`10.1`).
  if (host.length > 253 || !labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels.at(-1)!)) {
    throw new Error(`${JSON.stringify(entry)} is not a valid entry: ${EXPECTED}`);
  }
  return host;
}

/** What to set to allow this destination: by its address, by its host name, or either. */
function advice(allow: OutboundAllowList, address: string | undefined, host: string | undefined): string {
  const setting = (entry: string) => `${OUTBOUND_ALLOW_VARIABLE}=${allow.text === "" ? entry : `${allow.text},${entry}`}`;
  const ways = [
    address === undefined ? undefined : `${setting(address)} (this address)`,
    host === undefined ? undefined : `${setting(host)} (this host name)`,
  ].filter((way) => way !== undefined);
  const state =
    allow.text === "" ? "outbound requests to private addresses are off" : `${OUTBOUND_ALLOW_VARIABLE}=${allow.text} does not cover it`;
  return `${state}; allow it with ${ways.join(" or ")}`;
}

function classify(ip: Ip): { name: string | undefined; inner: Ip | undefined } {
  const found = (ip.version === 4 ? V4_RANGES : V6_RANGES).find((r) => contains(r.cidr, ip));
  if (!found?.inner) return { name: found?.name, inner: undefined };
  const inner: Ip = { version: 4, value: found.inner(ip.value) };
  const innerName = classify(inner).name;
  return { name: innerName === undefined ? undefined : `${found.name} ${innerName}`, inner };
}

/** An address is allowed when it, or the IPv4 address it carries, is in an allowed range. */
function isAllowedIp(ip: Ip, inner: Ip | undefined, allow: OutboundAllowList): boolean {
  return allow.cidrs.some((cidr) => contains(cidr, ip) || (inner !== undefined && contains(cidr, inner)));
}

function contains(cidr: Cidr, ip: Ip): boolean {
  const bits = ip.version === 4 ? 32 : 128;
  return cidr.version === ip.version && mask(ip.value, bits, cidr.prefix) === cidr.base;
}

function mask(value: bigint, bits: number, prefix: number): bigint {
  const shift = BigInt(bits - prefix);
  return (value >> shift) << shift;
}

function range(name: string, text: string, inner?: (value: bigint) => bigint): ForbiddenRange {
  return inner ? { name, cidr: cidrOf(text), inner } : { name, cidr: cidrOf(text) };
}

function cidrOf(text: string): Cidr {
  const [address = "", prefix = ""] = text.split("/");
  const ip = parseIp(address)!;
  return { version: ip.version, base: ip.value, prefix: Number(prefix), text };
}

function parseIp(text: string): Ip | undefined {
  const version = isIP(text);
  if (version === 4) return { version, value: parseV4(text) };
  if (version === 6 && !text.includes("%")) return { version, value: parseV6(text) };
  return undefined;
}

function parseV4(text: string): bigint {
  return text.split(".").reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** Expects text `isIP` accepted: groups of hex, at most one `::`, maybe a dotted IPv4 tail. */
function parseV6(text: string): bigint {
  const lastColon = text.lastIndexOf(":");
  let hex = text;
  if (text.includes(".")) {
    const v4 = parseV4(text.slice(lastColon + 1));
    hex = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = hex.split("::");
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":"));
  const groups =
    tail === undefined
      ? groupsOf(head)
      : [...groupsOf(head), ...Array<string>(8 - groupsOf(head).length - groupsOf(tail).length).fill("0"), ...groupsOf(tail)];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function formatIp(ip: Ip): string {
  if (ip.version === 4) return [24n, 16n, 8n, 0n].map((shift) => (ip.value >> shift) & 0xffn).join(".");
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((ip.value >> shift) & 0xffffn).toString(16));
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1); // URL writes the shortest form
}

/** A zone (`fe80::1%eth0`) names an interface, not an address; the address is what is judged. */
function withoutZone(address: string): string {
  return address.includes(":") ? address.replace(/%.*$/, "") : address;
}

function unbracket(text: string): string {
  return text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
}

function normalizeHost(host: string): string {
  return unbracket(host.toLowerCase()).replace(/\.$/, "");
}
