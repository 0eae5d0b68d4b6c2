import { cruise, type ICruiseOptions, type IViolation } from "dependency-cruiser";
import { ESLint } from "eslint";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `npm run lint` enforces docs/architecture.md's dependency rules. Each rule is shown a small
 * file that breaks it and must name it; the files that keep to the rules, and the exceptions
 * the rules name, must pass.
 */

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const depcruiseConfig = createRequire(import.meta.url)(join(ROOT, ".dependency-cruiser.cjs")) as {
  forbidden: NonNullable<ICruiseOptions["ruleSet"]>["forbidden"];
  options: ICruiseOptions;
};

/** A tree laid out as the project is, each file breaking a rule or keeping to them. */
const TREE: Record<string, string> = {
  "packages/server/src/contract/petitions.ts": 'import { id } from "../domain/ids.js";\nexport const petition = id;\n',
  "packages/server/src/domain/ids.ts": 'import { createHash } from "node:crypto";\nexport const id = createHash;\n',
  "packages/server/src/domain/rules.ts":
    'import { listPetitions } from "../services/petitions.js";\nimport { readFileSync } from "node:fs";\nimport pg from "pg";\nexport const rules = [listPetitions, readFileSync, pg];\n',
  "packages/server/src/services/petitions.ts":
    'import type { FastifyRequest } from "fastify";\nimport { route } from "../http/route.js";\nimport type { Store } from "../store/store.js";\nexport const listPetitions = (r: FastifyRequest, s: Store) => [r, s, route];\n',
  "packages/server/src/http/route.ts": 'import type { Store } from "../store/store.js";\nexport const route = (s: Store) => s;\n',
  "packages/server/src/slack/endpoint.ts": 'import { open } from "../store/open-store.js";\nexport const endpoint = open;\n',
  "packages/server/src/jobs/expire.ts": 'import type { Store } from "../store/store.js";\nexport const expire = (s: Store) => s;\n',
  "packages/server/src/store/store.ts": "export interface Store {\n  close(): void;\n}\n",
  "packages/server/src/store/open-store.ts": 'import type { Store } from "./store.js";\nexport const open = (s: Store) => s;\n',
  "packages/server/src/store/sqlite-store.ts": "export class SqliteStore {}\n",
  "packages/server/src/main.ts":
    'import { open } from "./store/open-store.js";\nimport { SqliteStore } from "./store/sqlite-store.js";\nexport const main = [open, SqliteStore];\n',
  "packages/server/test/integration/harness.ts": "export const startTestServer = () => 1;\n",
  "packages/cli/src/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
  "packages/cli/src/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
  "packages/sdk/src/client.ts": 'import { id } from "../../server/src/domain/ids.js";\nexport const client = id;\n',
  "packages/sdk/test/unit/receipt.test.ts":
    'import { id } from "../../../server/src/domain/ids.js";\nimport { route } from "../../../server/src/http/route.js";\nexport const t = [id, route];\n',
  "packages/sdk/test/unit/api-types.test.ts": 'import { route } from "../../../server/src/http/route.js";\nexport const t = route;\n',
  "packages/sdk/test/integration/flow.test.ts":
    'import { startTestServer } from "../../../server/test/integration/harness.js";\nexport const t = startTestServer;\n',
  "packages/web/src/app.tsx": 'import { route } from "../../server/src/http/route.js";\nexport const app = route;\n',
};

const SERVER = "packages/server/src";
/** Every violation the tree holds, as rule: from → to; and nothing else. */
const EXPECTED = [
  `contract-imports-only-typebox: ${SERVER}/contract/petitions.ts → ${SERVER}/domain/ids.ts`,
  `domain-imports-only-domain-and-contract: ${SERVER}/domain/rules.ts → ${SERVER}/services/petitions.ts`,
  `domain-does-no-io: ${SERVER}/domain/rules.ts → fs`,
  `domain-uses-no-io-package: ${SERVER}/domain/rules.ts → pg`,
  `services-see-no-http: ${SERVER}/services/petitions.ts → fastify`,
  `services-see-no-http: ${SERVER}/services/petitions.ts → ${SERVER}/http/route.ts`,
  `callers-go-through-services: ${SERVER}/http/route.ts → ${SERVER}/store/store.ts`,
  `callers-go-through-services: ${SERVER}/slack/endpoint.ts → ${SERVER}/store/open-store.ts`,
  `callers-go-through-services: ${SERVER}/jobs/expire.ts → ${SERVER}/store/store.ts`,
  `main-opens-the-store-only: ${SERVER}/main.ts → ${SERVER}/store/sqlite-store.ts`,
  // A cycle is named once, at the import that closes it.
  "no-cycles: packages/cli/src/a.ts → packages/cli/src/b.ts",
  `sdk-ships-without-the-server: packages/sdk/src/client.ts → ${SERVER}/domain/ids.ts`,
  `sdk-tests-build-no-server: packages/sdk/test/unit/receipt.test.ts → ${SERVER}/http/route.ts`,
  `web-through-the-sdk: packages/web/src/app.tsx → ${SERVER}/http/route.ts`,
];

async function violationsIn(baseDir: string, paths: string[], cache: ICruiseOptions["cache"]): Promise<string[]> {
  const { tsConfig: _, ...options } = depcruiseConfig.options;
  const { output } = await cruise(paths, {
    ...options,
    baseDir,
    cache,
    validate: true,
    ruleSet: { forbidden: depcruiseConfig.forbidden },
  });
  if (typeof output === "string") throw new Error("dependency-cruiser answered with text, not a result");
  return output.summary.violations.map((v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe("the import rules (dependency-cruiser)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "greenlight-lint-"));
    for (const [path, text] of Object.entries(TREE)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names each broken rule, and nothing that keeps to them", async () => {
    expect((await violationsIn(dir, ["packages"], false)).sort()).toEqual([...EXPECTED].sort());
  });

  it("finds nothing in the project itself", { timeout: 60_000 }, async () => {
    const cache = { folder: join(ROOT, "node_modules/.cache/dependency-cruiser-test"), strategy: "content" } as const;
    expect(await violationsIn(ROOT, ["packages/server/src", "packages/sdk/src", "packages/cli/src", "packages/web/src"], cache)).toEqual(
      [],
    );
  });
});

describe("the code rules (ESLint)", () => {
  const eslint = new ESLint({ cwd: ROOT });
  const problems = async (filePath: string, code: string) =>
    (await eslint.lintText(code, { filePath }))[0]!.messages.map((m) => `${m.line}: ${m.ruleId}`);

  it("keeps the clock in the context in services/ and domain/", async () => {
    const code =
      "export const a = Date.now();\nexport const b = new Date();\nexport const c = new Date(a);\nexport const d = { now: Date.now };\n";
    const flagged = ["1: no-restricted-properties", "2: no-restricted-syntax", "4: no-restricted-properties"];
    expect(await problems(`${SERVER}/services/petitions/x.ts`, code)).toEqual(flagged);
    expect(await problems(`${SERVER}/domain/x.ts`, code)).toEqual(flagged);
    expect(await problems(`${SERVER}/domain/clock.ts`, code)).toEqual([]);
  });

  it("reads process.env only in the configuration's readers", async () => {
    const code = "export const a = process.env.A;\nconst { env } = process;\nexport const b = env;\n";
    const flagged = ["1: no-restricted-properties", "2: no-restricted-properties"];
    for (const path of [`${SERVER}/http/app.ts`, "packages/sdk/src/client.ts", "packages/cli/src/commands/serve.ts"])
      expect(await problems(path, code), path).toEqual(flagged);
    for (const path of [`${SERVER}/config.ts`, "packages/sdk/src/settings.ts", "packages/cli/src/settings.ts"])
      expect(await problems(path, code), path).toEqual([]);
  });

  it("lets only `serve` load the server, and only when it runs", async () => {
    const code = [
      'import type { Config } from "@greenlight/server";',
      'import { startServer } from "@greenlight/server";',
      'import { loadConfig } from "../../../server/src/config.js";',
      'export const load = async (c: Config) => [c, startServer, loadConfig, await import("@greenlight/server")];',
    ].join("\n");
    expect(await problems("packages/cli/src/commands/grants.ts", code)).toEqual([
      "1: @typescript-eslint/no-restricted-imports",
      "2: @typescript-eslint/no-restricted-imports",
      "3: @typescript-eslint/no-restricted-imports",
      "4: no-restricted-syntax",
    ]);
    expect(await problems("packages/cli/src/commands/serve.ts", code)).toEqual([
      "2: @typescript-eslint/no-restricted-imports",
      "3: @typescript-eslint/no-restricted-imports",
    ]);
  });

  it("leaves the generated API types alone", async () => {
    expect(await eslint.isPathIgnored("packages/sdk/src/generated/api.ts")).toBe(true);
  });
});
