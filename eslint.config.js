// The rules of docs/architecture.md ("Dependency rules") that are about code rather than
// imports, checked by `npm run lint`; the import rules are in .dependency-cruiser.cjs. A rule
// that must be broken is changed here and in that list, with the reason, in one commit.
// Linting is syntactic (no type information): it stays fast, and tsc checks the types.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/** Configuration is read in one module a package: the server's config.ts, the SDK's and the CLI's settings.ts. */
export const CONFIG_READERS = ["packages/server/src/config.ts", "packages/sdk/src/settings.ts", "packages/cli/src/settings.ts"];

const processEnv = {
  object: "process",
  property: "env",
  message: "configuration is read in config.ts (the server) or settings.ts (the SDK, the CLI) and passed in",
};
const dateNow = { object: "Date", property: "now", message: "the clock comes in the context: ctx.clock.now()" };
const newDateOfNow = {
  selector: "NewExpression[callee.name='Date'][arguments.length=0]",
  message: "new Date() reads the system clock: the clock comes in the context, new Date(ctx.clock.now())",
};

/** The server, however a CLI module would reach it: by its package name or by a path into its source or build. */
const SERVER = ["@greenlight/server", "@greenlight/server/*", "**/server/src/**", "**/server/dist/**"];
const serverImportExpression = "ImportExpression[source.value=/^@greenlight\\/server|\\/server\\/(src|dist)\\//]";

export default defineConfig(
  {
    ignores: [
      "**/node_modules/",
      "**/dist/",
      "coverage/",
      "packages/server/web/",
      "bench/report/",
      "docs/.vitepress/cache/",
      // Written by `npm run api-types` from the server's OpenAPI document, not by hand.
      "packages/sdk/src/generated/api.ts",
    ],
  },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // Off: `any` is confined to foreign payloads (Slack's) and test doubles, and tsc's strict mode guards the rest.
      "@typescript-eslint/no-explicit-any": "off",
      // Off: the code rejects control characters on purpose (emails, Slack text, SQL names).
      "no-control-regex": "off",
      // Off: a pattern's spaces match YAML's indentation, plainer as written than as {2}.
      "no-regex-spaces": "off",
      // Off: it flags the first value of a variable a loop always sets, which tsc needs to see it assigned.
      "no-useless-assignment": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        // A field left out by destructuring the rest, and a name starting with _, are unused on purpose.
        { ignoreRestSiblings: true, argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["packages/*/src/**/*.{ts,tsx}"],
    ignores: CONFIG_READERS,
    rules: { "no-restricted-properties": ["error", processEnv] },
  },
  {
    // The CLI's client commands start without the server: only `serve` loads it, when it runs.
    files: ["packages/cli/src/**/*.ts"],
    ignores: ["packages/cli/src/commands/serve.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: SERVER, message: "the CLI's client commands reach the server through the SDK; only `serve` loads it" }] },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: serverImportExpression, message: "the CLI's client commands reach the server through the SDK; only `serve` loads it" },
      ],
    },
  },
  {
    // `serve` loads the server with `await import()` when it runs; a static import would load it for every command.
    files: ["packages/cli/src/commands/serve.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: SERVER, allowTypeImports: true, message: "`serve` loads the server with await import() when it runs" }] },
      ],
    },
  },
  {
    // The clock comes in the context, so a test or a job can set the time; domain/clock.ts is the system's clock itself.
    files: ["packages/server/src/services/**/*.ts", "packages/server/src/domain/**/*.ts"],
    ignores: ["packages/server/src/domain/clock.ts"],
    rules: {
      "no-restricted-properties": ["error", processEnv, dateNow],
      "no-restricted-syntax": ["error", newDateOfNow],
    },
  },
);
