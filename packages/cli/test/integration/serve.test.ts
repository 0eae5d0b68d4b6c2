import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, exited, spawnServer } from "../../../server/test/integration/child-server.js";
import { TEST_TOKEN, tempDataDir, until } from "../../../server/test/integration/harness.js";
import { runGreenlight } from "./run-cli.js";

const LINK = /(http:\/\/\S+\/auth\/link\?token=[A-Za-z0-9_-]+)/;

function linkForm(token: string): RequestInit {
  return {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }).toString(),
  };
}

/** Uses a sign-in link as the browser's form does: the session it gives, and an access token for the default space. */
async function signInWith(url: string, link: string): Promise<{ session: Record<string, unknown>; accessToken: string }> {
  const used = await fetch(`${url}/auth/link`, linkForm(new URL(link).searchParams.get("token")!));
  expect(used.status).toBe(303);
  const cookies = used.headers.getSetCookie().map((c) => c.split(";")[0]);
  const csrf = cookies.find((c) => c!.startsWith("greenlight_csrf="))!.split("=")[1]!;
  const session = (await (await fetch(`${url}/v1/auth/session`, { headers: { cookie: cookies.join("; ") } })).json()) as Record<
    string,
    unknown
  >;
  const issued = await fetch(`${url}/v1/auth/session:token`, {
    method: "POST",
    headers: { cookie: cookies.join("; "), "x-csrf-token": csrf, "content-type": "application/json" },
    body: JSON.stringify({ space: "default" }),
  });
  expect(issued.status).toBe(200);
  return { session, accessToken: ((await issued.json()) as { accessToken: string }).accessToken };
}

describe("greenlight serve", () => {
  it("generates an admin token on first start, shows it once, and keeps only its hash", async () => {
    const dataDir = tempDataDir();
    try {
      const first = await spawnServer(dataDir, { GREENLIGHT_ADMIN_TOKEN: "" });
      const token = /(gla_[A-Za-z0-9_-]{43})/.exec(first.output())?.[1];
      expect(token).toBeDefined();
      const ok = await fetch(`${first.url}/v1/spaces/default/petitions`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      first.process.kill("SIGTERM");
      expect(await exited(first.process)).toBe(0);

      const second = await spawnServer(dataDir, { GREENLIGHT_ADMIN_TOKEN: "" });
      expect(second.output()).not.toContain(token!);
      expect(second.output()).toMatch(/rotate-admin-token/);
      const stillOk = await fetch(`${second.url}/v1/spaces/default/petitions`, { headers: { authorization: `Bearer ${token}` } });
      expect(stillOk.status).toBe(200);
      second.process.kill("SIGTERM");
      await exited(second.process);

      expect(readFileSync(`${dataDir}/greenlight.db`).includes(Buffer.from(token!))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("--sign-in prints a one-time web sign-in link and makes the person an admin of the default space", async () => {
    const dataDir = tempDataDir();
    try {
      const server = await spawnServer(dataDir, {}, ["--sign-in", "Op@Example.com"]);
      const link = (await until(
        async () => LINK.exec(server.output())?.[1],
        (found) => found !== undefined,
      ))!;
      const { accessToken } = await signInWith(server.url, link);
      const bindings = await fetch(`${server.url}/v1/spaces/default:getPolicy`, {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
        body: "{}",
      });
      expect(bindings.status).toBe(200);
      expect(JSON.stringify(await bindings.json())).toContain("user:op@example.com");
      server.process.kill("SIGTERM");
      await exited(server.process);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("without an identity provider, names the web UI and prints a first admin's link on the first start alone", async () => {
    const dataDir = tempDataDir();
    try {
      const first = await spawnServer(dataDir);
      const link = (await until(
        async () => LINK.exec(first.output())?.[1],
        (found) => found !== undefined,
      ))!;
      expect(first.output()).toContain(`web UI:    ${first.url}/`);
      expect(first.output()).toContain("greenlight sign-in-link you@example.com --role admin");
      expect(first.output()).toContain("Web UI sign-in for the first admin, admin@localhost (no one is an admin yet), once");
      const { session } = await signInWith(first.url, link);
      expect(session).toMatchObject({ email: "admin@localhost", via: "link", spaces: [{ name: "default", roles: ["admin"] }] });
      // Once: the link is spent.
      const again = await fetch(`${first.url}/auth/link`, linkForm(new URL(link).searchParams.get("token")!));
      expect(again.status).toBe(401);

      // Later links come from the command, with the admin token.
      const home = mkdtempSync(join(tmpdir(), "greenlight-cli-"));
      const made = await runGreenlight(home, ["sign-in-link", "Bob@Example.com", "--role", "reviewer"], {
        env: { GREENLIGHT_API_URL: first.url, GREENLIGHT_API_TOKEN: TEST_TOKEN },
      });
      rmSync(home, { recursive: true, force: true });
      expect(made.code).toBe(0);
      expect(made.stderr).toMatch(/^Signs bob@example\.com in once, until /);
      expect((await signInWith(first.url, made.stdout.trim())).session.spaces).toEqual([
        { name: "default", displayName: expect.any(String), roles: ["reviewer"] },
      ]);
      first.process.kill("SIGTERM");
      await exited(first.process);
      // The links' tokens are kept only as digests.
      for (const used of [link, made.stdout.trim()]) {
        expect(readFileSync(`${dataDir}/greenlight.db`).includes(Buffer.from(new URL(used).searchParams.get("token")!))).toBe(false);
      }

      // The link is printed with the banner, in one write: none now, as the first admin is one.
      const second = await spawnServer(dataDir);
      expect(second.output()).toContain("sign-in:   with one-time links");
      expect(second.output()).not.toMatch(LINK);
      second.process.kill("SIGTERM");
      await exited(second.process);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("--rotate-admin-token replaces the token", async () => {
    const dataDir = tempDataDir();
    try {
      const first = await spawnServer(dataDir, { GREENLIGHT_ADMIN_TOKEN: "" });
      const oldToken = /(gla_[A-Za-z0-9_-]{43})/.exec(first.output())![1]!;
      first.process.kill("SIGTERM");
      await exited(first.process);
      const second = await spawnServer(dataDir, { GREENLIGHT_ADMIN_TOKEN: "" }, ["--rotate-admin-token"]);
      const newToken = /(gla_[A-Za-z0-9_-]{43})/.exec(second.output())![1]!;
      expect(newToken).not.toBe(oldToken);
      const old = await fetch(`${second.url}/v1/spaces/default/petitions`, { headers: { authorization: `Bearer ${oldToken}` } });
      const fresh = await fetch(`${second.url}/v1/spaces/default/petitions`, { headers: { authorization: `Bearer ${newToken}` } });
      expect(old.status).toBe(401);
      expect(fresh.status).toBe(200);
      second.process.kill("SIGTERM");
      await exited(second.process);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("reports every bad setting at once and exits 2", () => {
    const result = spawnSync(process.execPath, [CLI, "serve"], {
      env: { ...process.env, GREENLIGHT_PORT: "99999", GREENLIGHT_MAX_GRANT_DURATION: "1d", GREENLIGHT_LOG_LEVEL: "loud" },
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("GREENLIGHT_PORT");
    expect(result.stderr).toContain("GREENLIGHT_MAX_GRANT_DURATION");
    expect(result.stderr).toContain("GREENLIGHT_LOG_LEVEL");
  });

  it("refuses a second server on the same data directory", async () => {
    const dataDir = tempDataDir();
    try {
      const first = await spawnServer(dataDir);
      const second = spawnSync(process.execPath, [CLI, "serve"], {
        env: { ...process.env, GREENLIGHT_PORT: "0", GREENLIGHT_DATA_DIR: dataDir },
        encoding: "utf8",
        timeout: 15_000,
      });
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/another Greenlight server \(pid \d+\)/);
      first.process.kill("SIGTERM");
      await exited(first.process);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
