import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_TOKEN, type TestServer, until } from "../../../packages/server/test/integration/harness.js";
import { ManualClock } from "../../../packages/server/test/support/manual-clock.js";

/**
 * The getting-started pages' shell commands, and the README's, run as written against a real server. What a
 * reader fills in is filled in the same way: the admin token the server printed (`gla_…`), the
 * petition name an earlier answer showed (`pet_01m84…`), and the server's address, since this
 * server listens on a port of its own rather than 8787 (the CLI and the SDK are pointed at it
 * the same way, through GREENLIGHT_API_URL). Starting the server (`npm ci && npm start`) is the
 * one command not run here: the fresh-clone test (packages/cli/test/integration/first-hour.test.ts)
 * runs it.
 */

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DEFAULT_URL = "http://127.0.0.1:8787";
const EXAMPLE_PETITION = "pet_01m84ftg5xafyvn95zbtg8bner";
const START = "npm ci && npm start";

/** The page's `sh` blocks, in order (`page` relative to the repository's root). */
function shellBlocks(page: string): string[] {
  const text = readFileSync(`${ROOT}${page}`, "utf8");
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let t: TestServer<ManualClock>;
beforeAll(async () => {
  t = await startTestServer({ clock: new ManualClock() });
});
afterAll(async () => {
  await t?.close();
});

/** A reader's shell session: the blocks of one page, with the exports of the blocks run before. */
class Session {
  private readonly exports: string[] = [];
  private lastPetition = "";
  readonly ran = new Set<string>();

  constructor(private readonly blocks: string[]) {}

  /** The one block that contains `marker`. */
  block(marker: string): string {
    const found = this.blocks.filter((b) => b.includes(marker));
    expect(found, `one block on the page contains ${marker}`).toHaveLength(1);
    return found[0]!;
  }

  /** Runs a block; resolves when it exits. */
  run(block: string): Promise<Run> {
    this.ran.add(block);
    const script = this.fill(block);
    const child = spawn("bash", ["-c", `set -eo pipefail\n${this.exports.join("\n")}\n${script}`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, GREENLIGHT_API_URL: t.url, GREENLIGHT_CONFIG: "/nonexistent" },
    });
    if (/^export /m.test(script)) this.exports.push(...script.split("\n").filter((line) => line.startsWith("export ")));
    const run: Run = { code: null, stdout: "", stderr: "" };
    child.stdout.on("data", (chunk: Buffer) => (run.stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (run.stderr += chunk));
    return new Promise((resolve) =>
      child.once("close", (code) => {
        run.code = code;
        this.lastPetition = /pet_[0-9a-z]{26}/.exec(run.stdout + run.stderr)?.[0] ?? this.lastPetition;
        resolve(run);
      }),
    );
  }

  /** Remembers a petition the reader would have read off the server (in the web UI, say). */
  sawPetition(name: string): void {
    this.lastPetition = name;
  }

  private fill(block: string): string {
    return block
      .replaceAll(DEFAULT_URL, t.url)
      .replace(/gla_(…|\.\.\.)/g, TEST_TOKEN)
      .replaceAll(EXAMPLE_PETITION, this.lastPetition || EXAMPLE_PETITION);
  }

  /** Every block but installing and starting the server was run. */
  expectAllRun(): void {
    expect(this.blocks.filter((b) => !this.ran.has(b) && !b.startsWith("npm ci"))).toEqual([]);
  }
}

type Listed = { name: string; reason: string; petitioners: Array<{ email?: string }> };

/** The name of the open petition in `default` that `match` picks, once a command has made it. */
async function openPetition(match: (petition: Listed) => boolean): Promise<string> {
  const open = await until(
    async (): Promise<Listed[]> => (await t.call("GET", "/v1/spaces/default/petitions?phase=open&pageSize=100")).body.petitions,
    (petitions) => petitions.some(match),
  );
  return open.find(match)!.name;
}

const ok = (run: Run) => expect(run.code, `exit 0\n${run.stderr}`).toBe(0);
const json = (run: Run) => JSON.parse(run.stdout) as any;

describe("getting-started.md", () => {
  it("signs in, then takes a petition through approval, grant and expiry with curl", async () => {
    const page = new Session(shellBlocks("docs/getting-started.md"));
    expect(page.block(START).trim()).toBe(START);

    const link = await page.run(page.block("sign-in-link"));
    ok(link);
    expect(link.stdout).toContain(`${t.url}/auth/link?token=`);

    ok(await page.run(page.block("export GL=")));
    const resource = await page.run(page.block("$GL/resources"));
    ok(resource);
    expect(json(resource)).toMatchObject({ kind: "aws.v1.Role", id: "prod-admin", labels: { "indent.com/block": "prod-admin" } });

    const created = await page.run(page.block("$GL/petitions -H"));
    ok(created);
    expect(json(created).state.status.phase).toBe("open");
    ok(await page.run(page.block("export P=")));

    // Step 3 waits in another terminal while step 4 approves.
    const waiting = page.run(page.block("waitFor=decision"));
    await until(
      async () => (await t.call("GET", `/v1/spaces/default/petitions/${json(created).name}`)).body.state.status.phase,
      (phase) => phase === "open",
    );
    const approved = await page.run(page.block(`-d '{"claim"`));
    ok(approved);
    expect(json(approved).event).toBe("access/approve");
    const decided = await waiting;
    ok(decided);
    expect(json(decided).state.status.phase).toBe("granted");

    const seen = await page.run(page.block("$GL/grants?petition=$P"));
    ok(seen);
    const [petition, grants] = seen.stdout.split(/(?<=\})\s*(?=\{)/).map((part) => JSON.parse(part));
    expect(petition.state.status.phase).toBe("granted");
    expect(grants.grants).toMatchObject([{ status: "active" }]);

    // "Half a minute on": the server's clock moves past the grant's thirty seconds.
    await t.clock.advance(31_000);
    await t.idle();
    const expired = await page.run(page.block('"outcome":"expired"'));
    ok(expired);
    expect(json(expired).state.status).toEqual({ phase: "closed", outcome: "expired" });
    expect(json(expired).state.eventHistory.at(-1)).toMatchObject({ event: "access/revoke", reason: "access grant expired" });

    page.expectAllRun();
  });
});

describe("quickstart.md", () => {
  it("resets a password once the petition is approved from another terminal", async () => {
    const page = new Session(shellBlocks("docs/quickstart.md"));
    const script = page.run(page.block("reset-password.js"));

    page.sawPetition(await openPetition((p) => p.petitioners.some((x) => x.email === "you@example.com")));
    const approve = await page.run(page.block("petitions approve"));
    ok(approve);

    const done = await script;
    ok(done);
    expect(done.stdout.endsWith("}done: password reset user:123\n"), done.stdout).toBe(true);
    expect(done.stderr).toContain("⏵ Requested approval #default/pet_");
    expect(done.stderr).toContain("✅ Granted");
    page.expectAllRun();
  });
});

describe("README.md", () => {
  it("waits for approval in the CLI until another terminal approves", async () => {
    const page = new Session(shellBlocks("README.md"));
    const request = page.run(page.block("--wait"));

    page.sawPetition(await openPetition((p) => p.reason === "debug the checkout outage"));
    ok(await page.run(page.block("petitions approve")));

    const granted = await request;
    ok(granted);
    expect(granted.stderr).toContain("✅ Granted");
    page.expectAllRun();
  });
});
