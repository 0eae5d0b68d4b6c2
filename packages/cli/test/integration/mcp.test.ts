import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { GreenlightAPI, verifyReceipt } from "@greenlight/sdk";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI } from "../../../server/test/integration/child-server.js";
import { startTestServer, until, type TestServer, waitFor } from "../../../server/test/integration/harness.js";
import { createSpace, userToken } from "../../../server/test/integration/identity-fixtures.js";

/**
 * `greenlight mcp` driven by the MCP SDK's own client, over stdio and over streamable HTTP:
 * a request a reviewer approves through the API, a denial with its reason, and a wait that
 * ends pending and resumes with check_approval, without a second petition.
 */

let t: TestServer;
let space: string;
let reviewer: GreenlightAPI;
let agentEnv: Record<string, string>;
let agentEmail: string;
const httpChildren: ChildProcess[] = [];

beforeAll(async () => {
  t = await startTestServer();
  space = await createSpace(t);
  reviewer = new GreenlightAPI({ baseURL: t.url, apiToken: await userToken(t, space, "rita@example.com", ["reviewer"]), spaceName: space });
  const account = await t.call("POST", `/v1/spaces/${space}/serviceAccounts`, {
    serviceAccount: {
      name: "coding-agent",
      roles: ["member"],
      labels: { "greenlight.dev/agent": "true", "greenlight.dev/acts-for": "alice@example.com" },
    },
  });
  expect(account.status).toBe(201);
  agentEmail = account.body.email;
  const token = await t.call("POST", `/v1/spaces/${space}/tokens`, { serviceAccountId: account.body.serviceAccountId });
  agentEnv = {
    PATH: process.env.PATH ?? "",
    GREENLIGHT_API_URL: t.url,
    GREENLIGHT_API_TOKEN: token.body.refreshToken,
    GREENLIGHT_SPACE: space,
    GREENLIGHT_CONFIG: "/nonexistent/greenlight.json",
  };
});
afterAll(async () => {
  for (const child of httpChildren) child.kill("SIGTERM");
  await t.close();
});

/** Starts `greenlight mcp --http` on a free port (with `flags`) and returns its endpoint. */
async function httpEndpoint(...flags: string[]): Promise<URL> {
  const child = spawn(process.execPath, [CLI, "mcp", "--http", "--port", "0", ...flags], {
    env: agentEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  httpChildren.push(child);
  let stderr = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve(new URL(match[1]!));
    });
    child.once("exit", (code) => reject(new Error(`greenlight mcp --http exited ${code}: ${stderr}`)));
  });
}

const transports: Array<[string, () => Promise<Transport>]> = [
  ["stdio", async () => new StdioClientTransport({ command: process.execPath, args: [CLI, "mcp"], env: agentEnv, stderr: "pipe" })],
  ["streamable HTTP", async () => new StreamableHTTPClientTransport(await httpEndpoint())],
];

interface Outcome {
  status: string;
  petition: string;
  reason?: string;
  decidedBy: string[];
  receipt?: string;
  resume?: { tool: string; petition: string; createsNewPetition: boolean };
  message: string;
}

/** A JSON-RPC POST to the endpoint with exactly these Host and Origin headers, as a browser page could send it. */
function postAs(endpoint: URL, headers: { host: string; origin?: string }, body: unknown): Promise<{ status: number; text: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: endpoint.hostname,
        port: endpoint.port,
        path: endpoint.pathname,
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": Buffer.byteLength(payload),
        },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    sent.once("error", reject);
    sent.end(payload);
  });
}

describe("greenlight mcp --http in reach of web pages", () => {
  const callTool = (what: string) => ({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: "request_approval", arguments: { what, tool: `rebinding-${what}`, arguments: {}, waitSeconds: 0 } },
  });
  const listTools = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };
  const petitionsOf = async (tool: string) =>
    (await t.call("GET", `/v1/spaces/${space}/petitions?pageSize=100`)).body.petitions.filter(
      (p: { meta: { labels: Record<string, string> } }) => p.meta.labels["greenlight.dev/tool"] === tool,
    );

  it("refuses a request whose Host names another site (DNS rebinding) or that a foreign page sends, and acts on neither", async () => {
    const endpoint = await httpEndpoint();
    const own = endpoint.host;
    const refused = [
      { host: `evil.example:${endpoint.port}` },
      { host: `127.0.0.1.evil.example:${endpoint.port}` },
      { host: own, origin: "https://evil.example" },
      { host: own, origin: "null" },
      { host: own, origin: `http://evil.example:${endpoint.port}` },
    ];
    for (const [i, headers] of refused.entries()) {
      const answer = await postAs(endpoint, headers, callTool(`case${i}`));
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(answer.text).toMatch(/Host|Origin/);
      expect(await petitionsOf(`rebinding-case${i}`)).toEqual([]);
    }
    for (const host of [own, `localhost:${endpoint.port}`, `[::1]:${endpoint.port}`]) {
      const answer = await postAs(endpoint, { host }, listTools);
      expect(answer.status, host).toBe(200);
      expect(answer.text).toContain("request_approval");
    }
  });

  it("takes a browser origin and a host name only when they are allowed by flag", async () => {
    const endpoint = await httpEndpoint("--allowed-origin", "https://console.example", "--allowed-host", "mcp.internal");
    expect((await postAs(endpoint, { host: endpoint.host, origin: "https://console.example" }, listTools)).status).toBe(200);
    expect((await postAs(endpoint, { host: `mcp.internal:${endpoint.port}` }, listTools)).status).toBe(200);
    expect((await postAs(endpoint, { host: endpoint.host, origin: "https://other.example" }, listTools)).status).toBe(403);
  });
});

describe("greenlight mcp progress", () => {
  it("sends progress while it waits, so a client that resets its timeout on progress outlasts it", async () => {
    const client = new Client({ name: "test-agent", version: "1.0.0" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, "mcp", "--progress-every", "300ms"],
        env: agentEnv,
        stderr: "pipe",
      }),
    );
    try {
      const progress: number[] = [];
      const started = Date.now();
      const result = await client.callTool(
        { name: "request_approval", arguments: { what: "a slow decision", tool: "slow-tool", arguments: {}, waitSeconds: 3 } },
        undefined,
        { timeout: 1000, resetTimeoutOnProgress: true, onprogress: (p) => progress.push(p.progress) },
      );
      expect((result.structuredContent as { status: string }).status).toBe("pending");
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
      expect(progress.length).toBeGreaterThanOrEqual(5);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      await client.close();
    }
  });
});

describe.each(transports)("greenlight mcp over %s", (label, open) => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: "test-agent", version: "1.0.0" });
    await client.connect(await open());
  });
  afterAll(async () => {
    await client.close();
  });

  const tag = label.replace(/\W+/g, "-");
  /** The petitions made for one tool, as the admin sees them. */
  const petitionsFor = async (tool: string) =>
    (await t.call("GET", `/v1/spaces/${space}/petitions?pageSize=100`)).body.petitions.filter(
      (p: { meta: { labels: Record<string, string> } }) => p.meta.labels["greenlight.dev/tool"] === tool,
    ) as Array<{ name: string; meta: { labels: Record<string, string> } }>;

  async function call(name: string, args: Record<string, unknown>): Promise<Outcome> {
    const result = await client.callTool({ name, arguments: args });
    expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
    return result.structuredContent as unknown as Outcome;
  }

  it("lists the three tools, each with an output schema", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["check_approval", "list_my_grants", "request_approval"]);
    for (const tool of tools) expect(tool.outputSchema?.type).toBe("object");
  });

  it("request → a reviewer approves through the API → granted, with the reviewer's reason and a receipt for the exact call", async () => {
    const tool = `deploy-${tag}`;
    const args = { service: "api", version: "1.2.3" };
    const pending = call("request_approval", {
      what: "deploy api 1.2.3",
      why: "release",
      tool,
      arguments: args,
      onBehalfOf: "alice@example.com",
      waitSeconds: 20,
    });
    const [petition] = await until(
      () => petitionsFor(tool),
      (found) => found.length === 1,
    );
    expect(petition!.meta.labels).toMatchObject({ "greenlight.dev/agent": agentEmail, "greenlight.dev/on-behalf-of": "alice@example.com" });
    await reviewer.petition.approve(petition!.name, { duration: "1h", reason: "ship it" });
    const outcome = await pending;
    expect(outcome).toMatchObject({ status: "granted", petition: petition!.name, reason: "ship it", decidedBy: ["rita@example.com"] });
    const claims = await verifyReceipt(outcome.receipt!, { keys: await reviewer.signingKeys(), space, tool, arguments: args });
    expect(claims.sub).toBe(petition!.name);
  });

  it("a denial comes back as denied with the reviewer's reason, not as an error", async () => {
    const tool = `drop-${tag}`;
    const pending = call("request_approval", { what: "drop the staging database", tool, arguments: { db: "staging" }, waitSeconds: 20 });
    const [petition] = await until(
      () => petitionsFor(tool),
      (found) => found.length === 1,
    );
    await reviewer.petition.deny(petition!.name, "use a migration instead");
    const outcome = await pending;
    expect(outcome).toMatchObject({
      status: "denied",
      petition: petition!.name,
      reason: "use a migration instead",
      decidedBy: ["rita@example.com"],
    });
    expect(outcome.receipt).toBeUndefined();
  });

  it("a wait that ends undecided answers pending with how to resume; check_approval later returns granted without a second petition", async () => {
    const tool = `rotate-${tag}`;
    const input = { what: "rotate the api key", tool, arguments: { key: "primary" }, waitSeconds: 1 };
    const first = await call("request_approval", input);
    expect(first.status).toBe("pending");
    expect(first.resume).toEqual({ tool: "check_approval", petition: first.petition, createsNewPetition: false });
    expect(first.message).toContain("check_approval");

    // Asking again finds the same petition.
    expect((await call("request_approval", input)).petition).toBe(first.petition);
    const still = await call("check_approval", { petition: first.petition, waitSeconds: 0 });
    expect(still.status).toBe("pending");

    const holding = t.server.services.notifier.watcherCount;
    const resumed = call("check_approval", { petition: first.petition, waitSeconds: 20 });
    await waitFor("check_approval's long-poll", () => t.server.services.notifier.watcherCount > holding);
    await reviewer.petition.approve(first.petition, { duration: "30m", reason: "ok" });
    const outcome = await resumed;
    expect(outcome).toMatchObject({ status: "granted", petition: first.petition, reason: "ok" });
    expect(outcome.receipt).toBeDefined();
    expect((await petitionsFor(tool)).map((p) => p.name)).toEqual([first.petition]);

    // The agent asked for itself here, so the grant is its own.
    const grants = (await client.callTool({ name: "list_my_grants", arguments: {} })).structuredContent as {
      grants: Array<{ petition: string }>;
    };
    expect(grants.grants.map((grant) => grant.petition)).toContain(first.petition);
  });

  it("reports a refused request as a tool error the model can read", async () => {
    const result = await client.callTool({
      name: "request_approval",
      arguments: { what: "for bob", onBehalfOf: "bob@example.com", waitSeconds: 0 },
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("FORBIDDEN");
  });
});
