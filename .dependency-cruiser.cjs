// The import rules of docs/architecture.md ("Dependency rules"), checked by `npm run lint`.
// A rule that must be broken is changed here and in that list, with the reason, in one commit.
// The rules on code rather than imports (process.env, the clock), and the CLI's (which tell a
// type-only or dynamic import from a static one before the server is built), are in
// eslint.config.js.

const SERVER = "^packages/server/src/";
/** The server as another package sees it: its source, its built package, or its name (unresolved before a build). */
const ANY_OF_SERVER = ["^packages/server/", "^node_modules/@greenlight/server/", "^@greenlight/server($|/)"];
/** Modules that reach disks, networks, processes or databases: none of them belongs in pure rules. */
const IO_PACKAGES = [
  // Installed, or (not installed) by name.
  "^(node_modules/)?(pg|pg-[^/]+|better-sqlite3|kysely|fastify|@fastify/[^/]+|undici|pino|@slack/[^/]+|openid-client|prom-client)($|/)",
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "No import cycles anywhere in the packages' source: a layer that needs its caller is two layers tangled.",
      severity: "error",
      from: { path: "^packages/[^/]+/src/" },
      to: { circular: true },
    },
    {
      name: "contract-imports-only-typebox",
      comment: "contract/ is the API's shapes alone: TypeBox schemas and their types.",
      severity: "error",
      from: { path: `${SERVER}contract/` },
      to: { pathNot: [`${SERVER}contract/`, "^node_modules/typebox/"] },
    },
    {
      name: "domain-imports-only-domain-and-contract",
      comment: "domain/ is pure rules: of the project it sees only itself and the wire shapes in contract/.",
      severity: "error",
      from: { path: `${SERVER}domain/` },
      to: { path: SERVER, pathNot: [`${SERVER}domain/`, `${SERVER}contract/`] },
    },
    {
      name: "domain-does-no-io",
      comment:
        "domain/ does no I/O: of Node's own modules it uses node:crypto alone (hashes and random ids), and no database, HTTP or logging package.",
      severity: "error",
      from: { path: `${SERVER}domain/` },
      to: {
        dependencyTypes: ["core"],
        pathNot: ["^(node:)?crypto$"],
      },
    },
    {
      name: "domain-uses-no-io-package",
      comment: "domain/ does no I/O: no database driver, web framework, HTTP client or logger.",
      severity: "error",
      from: { path: `${SERVER}domain/` },
      to: { path: IO_PACKAGES },
    },
    {
      name: "callers-go-through-services",
      comment:
        "http/, slack/ and jobs/ call services/, never store/: not its repositories, and not its types either (what a route needs of the store, a service hands it).",
      severity: "error",
      from: { path: `${SERVER}(http|slack|jobs)/` },
      to: { path: `${SERVER}store/` },
    },
    {
      name: "services-see-no-http",
      comment: "services/ never sees HTTP: not Fastify, and nothing under http/.",
      severity: "error",
      from: { path: `${SERVER}services/` },
      to: { path: [`${SERVER}http/`, "^(node_modules/)?(fastify|@fastify/[^/]+)($|/)"] },
    },
    {
      name: "main-opens-the-store-only",
      comment: "main.ts composes: of store/ it only opens one (open-store.ts); the work done on a store belongs to services/.",
      severity: "error",
      from: { path: `${SERVER}main\\.ts$` },
      to: { path: `${SERVER}store/`, pathNot: `${SERVER}store/open-store\\.ts$` },
    },
    {
      name: "sdk-ships-without-the-server",
      comment: "Nothing the SDK ships imports the server: it sees the server only through the wire format.",
      severity: "error",
      from: { path: "^packages/sdk/src/" },
      to: { path: ANY_OF_SERVER },
    },
    {
      name: "sdk-tests-build-no-server",
      comment:
        "Of the SDK's tests only api-types.test.ts builds the server's OpenAPI document from its source; the others may cross-check against the server's pure rules (domain/), and the integration tests start a server with the server's test harness.",
      severity: "error",
      from: { path: "^packages/sdk/test/", pathNot: "^packages/sdk/test/unit/api-types\\.test\\.ts$" },
      to: { path: SERVER, pathNot: `${SERVER}domain/` },
    },
    {
      name: "web-through-the-sdk",
      comment: "The web UI talks to the API only through the SDK.",
      severity: "error",
      from: { path: "^packages/web/src/" },
      to: { path: ANY_OF_SERVER },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["/dist/", "^packages/server/web/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.test.json" },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    cache: { folder: "node_modules/.cache/dependency-cruiser", strategy: "content" },
  },
};
