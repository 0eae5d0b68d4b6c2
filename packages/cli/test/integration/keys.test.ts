import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../../server/test/integration/harness.js";
import { asAdmin, runGreenlight } from "./run-cli.js";

/** `greenlight keys` against a real server: the published signing keys, and rotating them now. */

let t: TestServer;
let home: string;

beforeAll(async () => {
  t = await startTestServer();
  home = mkdtempSync(join(tmpdir(), "greenlight-cli-keys-"));
});
afterAll(async () => {
  await t.close();
  rmSync(home, { recursive: true, force: true });
});

const run = (args: string[]) => runGreenlight(home, args, asAdmin(t, home));
const kids = async () => (JSON.parse((await run(["keys", "list", "-o", "json"])).stdout).keys as Array<{ kid: string }>).map((k) => k.kid);

describe("greenlight keys", () => {
  it("lists the keys, rotates them keeping the old one, and rotates revoking the others", async () => {
    const listed = await run(["keys", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^KID\s+ALG\n\S+\s+ES256\n$/);
    const [first] = await kids();

    const rotated = await run(["keys", "rotate"]);
    expect(rotated.code).toBe(0);
    const afterRotation = await kids();
    const second = afterRotation.find((kid) => kid !== first)!;
    expect(afterRotation.sort()).toEqual([first, second].sort());
    expect(rotated.stdout).toBe(`New tokens are signed with ${second}; 1 earlier key still verifies\n`);

    const revoked = await run(["keys", "rotate", "--revoke-other-keys"]);
    expect(revoked.code).toBe(0);
    const [third] = await kids();
    expect(await kids()).toEqual([third]);
    expect(revoked.stdout).toBe(`New tokens are signed with ${third}; the other keys were revoked\n`);
  });
});
