import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import * as prettier from "prettier";
import { expect, it } from "vitest";
import { openApiDocument } from "../../../server/src/http/openapi-document.js";

/**
 * The SDK's types of the API (`src/generated/api.ts`) are generated from the OpenAPI document
 * the server builds from its contract, so the SDK, the CLI and the web UI compile against the
 * shapes the server answers with. `npm run api-types` writes the file again.
 */

const GENERATED = fileURLToPath(new URL("../../src/generated/api.ts", import.meta.url));
const COMMAND = "npm run api-types";

const HEADER = `/**
 * Greenlight's API as its OpenAPI document describes it: generated from the server's contract
 * (packages/server/src/contract/) by openapi-typescript. Do not edit: change the contract and
 * run \`${COMMAND}\`. The SDK names the shapes it uses in types.ts.
 */
`;

async function renderApiTypes(): Promise<string> {
  const document = successesOnly(await openApiDocument());
  const types = astToString(await openapiTS(document as unknown as OpenAPI3));
  const options = await prettier.resolveConfig(GENERATED);
  return prettier.format(HEADER + types, { ...options, filepath: GENERATED });
}

/**
 * The document as the SDK reads it: every failure is the one error envelope (the `Error`
 * schema), which the SDK turns into a GreenlightError, so each operation keeps only its
 * successful answers.
 */
function successesOnly(document: Record<string, unknown>): Record<string, unknown> {
  const paths = document["paths"] as Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  const trimmed = Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => [
          method,
          { ...operation, responses: Object.fromEntries(Object.entries(operation.responses ?? {}).filter(([status]) => status < "400")) },
        ]),
      ),
    ]),
  );
  return { ...document, paths: trimmed };
}

it(`src/generated/api.ts is what the server's contract generates (else run \`${COMMAND}\`)`, async () => {
  const generated = await renderApiTypes();
  if (process.env.GREENLIGHT_WRITE_API_TYPES === "1") writeFileSync(GENERATED, generated);
  const committed = existsSync(GENERATED) ? readFileSync(GENERATED, "utf8") : "";
  expect(committed === generated, `packages/sdk/src/generated/api.ts is stale: run \`${COMMAND}\` and commit it`).toBe(true);
}, 30_000);
