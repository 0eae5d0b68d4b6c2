import { describe, expect, it } from "vitest";
import {
  checkAddress,
  checkDestinationUrl,
  forbiddenRange,
  OutboundBlockedError,
  parseOutboundAllowList,
  type OutboundAllowList,
} from "../../src/integrations/outbound/address-policy.js";

const NOTHING = parseOutboundAllowList("");

/** Runs `fn` and returns the OutboundBlockedError it throws, failing the test otherwise. */
function blockedBy(fn: () => unknown): OutboundBlockedError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OutboundBlockedError);
    return error as OutboundBlockedError;
  }
  throw new Error("expected an OutboundBlockedError, but nothing was thrown");
}

describe("forbiddenRange", () => {
  const cases: { address: string; range: string | undefined }[] = [
    // IPv4
    { address: "0.0.0.0", range: "unspecified" },
    { address: "0.1.2.3", range: "this network" },
    { address: "10.0.0.1", range: "private (RFC 1918)" },
    { address: "10.255.255.255", range: "private (RFC 1918)" },
    { address: "172.16.0.1", range: "private (RFC 1918)" },
    { address: "172.31.255.254", range: "private (RFC 1918)" },
    { address: "172.32.0.1", range: undefined },
    { address: "172.15.255.255", range: undefined },
    { address: "192.168.1.1", range: "private (RFC 1918)" },
    { address: "100.64.0.1", range: "carrier-grade NAT" },
    { address: "100.127.255.255", range: "carrier-grade NAT" },
    { address: "100.128.0.0", range: undefined },
    { address: "127.0.0.1", range: "loopback" },
    { address: "127.255.255.254", range: "loopback" },
    { address: "169.254.169.254", range: "link-local (cloud metadata)" },
    { address: "169.254.1.1", range: "link-local" },
    { address: "192.0.0.8", range: "IETF protocol assignments" },
    { address: "192.0.2.1", range: "documentation" },
    { address: "198.51.100.7", range: "documentation" },
    { address: "203.0.113.9", range: "documentation" },
    { address: "198.18.0.1", range: "benchmarking" },
    { address: "224.0.0.1", range: "multicast" },
    { address: "239.255.255.250", range: "multicast" },
    { address: "240.0.0.1", range: "reserved" },
    { address: "255.255.255.255", range: "broadcast" },
    { address: "8.8.8.8", range: undefined },
    { address: "1.1.1.1", range: undefined },
    { address: "93.184.215.14", range: undefined },
    { address: "11.0.0.1", range: undefined },
    // IPv6
    { address: "::", range: "unspecified" },
    { address: "::1", range: "loopback" },
    { address: "0:0:0:0:0:0:0:1", range: "loopback" },
    { address: "fc00::1", range: "unique local" },
    { address: "fd12:3456::1", range: "unique local" },
    { address: "fe80::1", range: "link-local" },
    { address: "FE80::1", range: "link-local" },
    { address: "fe80::1%eth0", range: "link-local" },
    { address: "fec0::1", range: "site-local" },
    { address: "ff02::1", range: "multicast" },
    { address: "2001:db8::1", range: "documentation" },
    { address: "2001::1", range: "Teredo" },
    { address: "100::1", range: "discard-only" },
    { address: "5f00::1", range: "reserved" },
    { address: "2606:4700::1111", range: undefined },
    { address: "2001:4860:4860::8888", range: undefined },
    // IPv4-mapped, -translated, -compatible, NAT64 and 6to4: judged by the IPv4 inside
    { address: "::ffff:127.0.0.1", range: "IPv4-mapped loopback" },
    { address: "::ffff:7f00:1", range: "IPv4-mapped loopback" },
    { address: "::FFFF:7F00:0001", range: "IPv4-mapped loopback" },
    { address: "0:0:0:0:0:ffff:7f00:1", range: "IPv4-mapped loopback" },
    { address: "::ffff:10.0.0.1", range: "IPv4-mapped private (RFC 1918)" },
    { address: "::ffff:169.254.169.254", range: "IPv4-mapped link-local (cloud metadata)" },
    { address: "::ffff:0.0.0.0", range: "IPv4-mapped unspecified" },
    { address: "::ffff:8.8.8.8", range: undefined },
    { address: "::ffff:0:7f00:1", range: "IPv4-translated loopback" },
    { address: "::127.0.0.1", range: "IPv4-compatible loopback" },
    { address: "::7f00:1", range: "IPv4-compatible loopback" },
    { address: "::a00:1", range: "IPv4-compatible private (RFC 1918)" },
    { address: "64:ff9b::127.0.0.1", range: "NAT64 loopback" },
    { address: "64:ff9b::a9fe:a9fe", range: "NAT64 link-local (cloud metadata)" },
    { address: "64:ff9b::8.8.8.8", range: undefined },
    { address: "64:ff9b:1::1", range: "NAT64 local-use" },
    { address: "2002:7f00:1::", range: "6to4 loopback" },
    { address: "2002:c0a8:101::1", range: "6to4 private (RFC 1918)" },
    { address: "2002:808:808::1", range: undefined },
  ];

  it.each(cases)("$address → $range", ({ address, range }) => {
    expect(forbiddenRange(address)).toBe(range);
  });

  it.each(["localhost", "127.1", "0x7f.0.0.1", "127.000.0.1", "[::1]", "::1/128", ""])("refuses %j as not an address", (text) => {
    expect(() => forbiddenRange(text)).toThrow(/is not an IP address/);
  });
});

describe("parseOutboundAllowList", () => {
  it("reads nothing from an empty setting", () => {
    expect(parseOutboundAllowList("")).toEqual({ cidrs: [], hosts: [], text: "" });
    expect(parseOutboundAllowList("  ,  ")).toMatchObject({ cidrs: [], hosts: [] });
  });

  it("reads words, CIDRs, addresses and host names", () => {
    const allow = parseOutboundAllowList(" Loopback, 10.0.0.0/8, fd00::/8, 192.168.1.5, [::1], Hooks.Internal.Example.com. ");
    expect(allow.cidrs.map((cidr) => cidr.text)).toEqual(["127.0.0.0/8", "::1/128", "10.0.0.0/8", "fd00::/8", "192.168.1.5", "::1"]);
    expect(allow.hosts).toEqual(["hooks.internal.example.com"]);
    expect(allow.text).toBe("Loopback, 10.0.0.0/8, fd00::/8, 192.168.1.5, [::1], Hooks.Internal.Example.com.");
  });

  const bad: { entry: string; message: RegExp }[] = [
    { entry: "10.0.0.0/33", message: /"10.0.0.0\/33" has a bad prefix length: expected a whole number from 0 to 32/ },
    { entry: "fd00::/129", message: /from 0 to 128/ },
    { entry: "10.0.0.0/", message: /bad prefix length/ },
    { entry: "10.0.0.0/8x", message: /bad prefix length/ },
    { entry: "10.0.0.0/-1", message: /bad prefix length/ },
    { entry: "10.1.2.3/8", message: /"10.1.2.3\/8" has bits set past its \/8 prefix: did you mean 10.0.0.0\/8\?/ },
    { entry: "fd00::1/8", message: /did you mean fd00::\/8\?/ },
    { entry: "10.0.0.0/8/8", message: /"10.0.0.0\/8\/8" is not a valid entry: expected loopback, private, a CIDR/ },
    { entry: "hooks/8", message: /is not a valid entry/ },
    { entry: "*.example.com", message: /"\*.example.com": wildcards are not supported; list each host name/ },
    { entry: "https://hooks.example.com", message: /give the host name alone, not a URL/ },
    { entry: "hooks.example.com:8080", message: /is not a valid entry/ },
    { entry: "10.1", message: /"10.1" is not a valid entry/ },
    { entry: "256.0.0.1", message: /is not a valid entry/ },
    { entry: "fe80::1%eth0", message: /is not a valid entry/ },
    { entry: "bad host", message: /is not a valid entry/ },
    { entry: "-leading.example.com", message: /is not a valid entry/ },
    { entry: `${"a".repeat(64)}.example.com`, message: /is not a valid entry/ },
  ];

  it.each(bad)("refuses $entry, naming it", ({ entry, message }) => {
    expect(() => parseOutboundAllowList(`loopback, ${entry}`)).toThrow(message);
  });

  it("takes a single-label name as a host name, as a cluster's service names are", () => {
    expect(parseOutboundAllowList("webhooks").hosts).toEqual(["webhooks"]);
  });
});

describe("checkAddress", () => {
  const allowed: { setting: string; address: string; host: string }[] = [
    { setting: "", address: "8.8.8.8", host: "dns.google" },
    { setting: "", address: "2606:4700::1111", host: "one.one.one.one" },
    { setting: "", address: "::ffff:8.8.8.8", host: "dns.google" },
    { setting: "loopback", address: "127.0.0.1", host: "localhost" },
    { setting: "loopback", address: "127.9.9.9", host: "x.example.com" },
    { setting: "loopback", address: "::1", host: "localhost" },
    { setting: "loopback", address: "::ffff:127.0.0.1", host: "localhost" },
    { setting: "127.0.0.1/32", address: "127.0.0.1", host: "127.0.0.1" },
    { setting: "10.0.0.0/8", address: "10.20.30.40", host: "hooks.example.com" },
    { setting: "10.0.0.0/8", address: "::ffff:10.20.30.40", host: "hooks.example.com" },
    { setting: "10.0.0.0/8", address: "64:ff9b::a14:1e28", host: "hooks.example.com" },
    { setting: "fd00::/8", address: "fd00::5", host: "hooks.example.com" },
    { setting: "hooks.example.com", address: "10.1.2.3", host: "HOOKS.example.com." },
    { setting: "private", address: "169.254.169.254", host: "metadata.google.internal" },
    { setting: "private", address: "fe80::1%eth0", host: "x.example.com" },
    { setting: "private", address: "::ffff:192.168.0.1", host: "x.example.com" },
    { setting: "private", address: "5f00::1", host: "x.example.com" },
  ];
  it.each(allowed)("lets $address for $host through with $setting", ({ setting, address, host }) => {
    expect(() => checkAddress(address, host, parseOutboundAllowList(setting))).not.toThrow();
  });

  const refused: { setting: string; address: string; host: string }[] = [
    { setting: "", address: "127.0.0.1", host: "hooks.example.com" },
    { setting: "", address: "::ffff:7f00:1", host: "hooks.example.com" },
    { setting: "loopback", address: "10.0.0.1", host: "hooks.example.com" },
    { setting: "loopback", address: "0.0.0.0", host: "hooks.example.com" },
    { setting: "127.0.0.1/32", address: "127.0.0.2", host: "hooks.example.com" },
    { setting: "127.0.0.1/32", address: "::1", host: "localhost" },
    { setting: "fd00::/8", address: "fc00::1", host: "hooks.example.com" },
    { setting: "hooks.example.com", address: "10.1.2.3", host: "other.example.com" },
    { setting: "hooks.example.com", address: "10.1.2.3", host: "sub.hooks.example.com" },
    { setting: "example.com", address: "10.1.2.3", host: "hooks.example.com" },
    { setting: "0.0.0.0/8", address: "::1", host: "hooks.example.com" }, // ::1 is not "IPv4-compatible 0.0.0.1"
  ];
  it.each(refused)("refuses $address for $host with $setting", ({ setting, address, host }) => {
    const error = blockedBy(() => checkAddress(address, host, parseOutboundAllowList(setting)));
    expect(error.address).toBe(address);
    expect(error.host).toBe(host);
  });

  it("says what to set when private addresses are off", () => {
    const error = blockedBy(() => checkAddress("127.0.0.1", "hooks.example.com", NOTHING));
    expect(error.message).toBe(
      "refusing to connect to 127.0.0.1 (loopback) for hooks.example.com: outbound requests to private addresses are off; " +
        "allow it with GREENLIGHT_OUTBOUND_ALLOW=127.0.0.1 (this address) or GREENLIGHT_OUTBOUND_ALLOW=hooks.example.com (this host name)",
    );
  });

  it("keeps what is already allowed in its advice, and leaves the name out for a literal", () => {
    const error = blockedBy(() => checkAddress("169.254.169.254", "169.254.169.254", parseOutboundAllowList("10.0.0.0/8")));
    expect(error.message).toBe(
      "refusing to connect to 169.254.169.254 (link-local (cloud metadata)): GREENLIGHT_OUTBOUND_ALLOW=10.0.0.0/8 does not cover it; " +
        "allow it with GREENLIGHT_OUTBOUND_ALLOW=10.0.0.0/8,169.254.169.254 (this address)",
    );
  });

  it("refuses an answer that is not an address", () => {
    expect(blockedBy(() => checkAddress("not-an-ip", "hooks.example.com", NOTHING)).message).toMatch(/not an IP address/);
  });
});

describe("checkDestinationUrl", () => {
  const cases: { url: string; setting?: string; refused?: RegExp }[] = [
    { url: "https://hooks.example.com/greenlight" },
    { url: "http://hooks.example.com:8080/x" },
    { url: "https://8.8.8.8/" },
    { url: "https://[2606:4700::1111]/" },
    // Names are judged when connecting; only their addresses tell.
    { url: "https://internal.corp.example.com/" },
    { url: "http://127.0.0.1:8080/hook", refused: /127.0.0.1 \(loopback\)/ },
    { url: "http://127.1/", refused: /127.0.0.1 \(loopback\)/ },
    { url: "http://0x7f000001/", refused: /127.0.0.1 \(loopback\)/ },
    { url: "http://2130706433/", refused: /127.0.0.1 \(loopback\)/ },
    { url: "http://0.0.0.0:8787/", refused: /unspecified/ },
    { url: "http://169.254.169.254/latest/meta-data/", refused: /cloud metadata/ },
    { url: "http://10.0.0.5/", refused: /private \(RFC 1918\)/ },
    { url: "http://[::1]:8080/", refused: /::1 \(loopback\)/ },
    { url: "http://[::ffff:127.0.0.1]/", refused: /IPv4-mapped loopback/ },
    { url: "http://[fd00::1]/", refused: /unique local/ },
    { url: "http://localhost:3000/", refused: /refusing localhost \(loopback\).*GREENLIGHT_OUTBOUND_ALLOW=localhost/ },
    { url: "http://LOCALHOST./", refused: /refusing localhost/ },
    { url: "http://app.localhost/", refused: /refusing app.localhost/ },
    { url: "http://127.0.0.1:8080/hook", setting: "loopback" },
    { url: "http://127.0.0.1:8080/hook", setting: "127.0.0.1" },
    { url: "http://[::1]:8080/", setting: "::1" },
    { url: "http://10.0.0.5/", setting: "private" },
    { url: "http://localhost:3000/", setting: "loopback" },
    { url: "http://localhost:3000/", setting: "localhost" },
    { url: "http://app.localhost/", setting: "app.localhost" },
    { url: "http://10.0.0.5/", setting: "192.168.0.0/16", refused: /GREENLIGHT_OUTBOUND_ALLOW=192.168.0.0\/16 does not cover it/ },
  ];
  it.each(cases)("$url with $setting", ({ url, setting, refused }) => {
    const allow: OutboundAllowList = parseOutboundAllowList(setting ?? "");
    if (refused) expect(blockedBy(() => checkDestinationUrl(url, allow)).message).toMatch(refused);
    else expect(() => checkDestinationUrl(url, allow)).not.toThrow();
  });

  it.each([
    { url: "ftp://hooks.example.com/", message: /must be an http or https URL, not ftp:/ },
    { url: "file:///etc/passwd", message: /must be an http or https URL, not file:/ },
    { url: "gopher://127.0.0.1:6379/_FLUSHALL", message: /must be an http or https URL/ },
    { url: "hooks.example.com/x", message: /is not a URL/ },
  ])("refuses $url as unusable", ({ url, message }) => {
    let thrown: unknown;
    try {
      checkDestinationUrl(url, parseOutboundAllowList("private"));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(OutboundBlockedError);
    expect((thrown as Error).message).toMatch(message);
  });
});
