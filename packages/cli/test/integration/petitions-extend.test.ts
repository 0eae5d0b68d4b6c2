import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveClaim, createPetition, SPACE, startTestServer, type TestServer } from "../../../server/test/integration/harness.js";
import { asAdmin as asAdminOf, runGreenlight, type Run } from "./run-cli.js";

let t: TestServer;
let home: string;
beforeAll(async () => {
  t = await startTestServer();
  home = mkdtempSync(join(tmpdir(), "greenlight-cli-extend-"));
});
afterAll(async () => {
  await t.close();
  rmSync(home, { recursive: true, force: true });
});

const greenlight = (args: string[]): Promise<Run> => runGreenlight(home, args, asAdminOf(t, home));

describe("greenlight petitions extend", () => {
  it("asks for more time on a granted petition, and says so when the petition is not granted", async () => {
    const first = await createPetition(t);
    const refused = await greenlight(["petitions", "extend", first.name, "--duration", "2h"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/INVALID_TRANSITION/);
    expect(refused.stderr).toMatch(/only a granted petition can be extended/);

    expect((await t.call("POST", `${SPACE}/petitions/${first.name}/claims`, approveClaim("1h"))).status).toBe(200);
    const run = await greenlight(["petitions", "extend", first.name, "--duration", "2h", "--reason", "the migration runs long"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Extension of ${first.name}: pet_\\S+, open\\n$`));
    const name = run.stdout.match(/: (pet_\S+),/)![1]!;
    const extension = (await t.call("GET", `${SPACE}/petitions/${name}`)).body;
    expect(extension.meta.labels["greenlight.dev/extends"]).toBe(first.name);
    expect(extension.reason).toBe("the migration runs long");
    expect(extension.defaultDuration).toBe("7200s");

    // Asked again, the same extension, as JSON for scripts.
    const again = await greenlight(["petitions", "extend", first.name, "-o", "json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).name).toBe(name);
  });
});
