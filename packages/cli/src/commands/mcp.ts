import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { clientFor, parseDurationMs } from "../client.js";
import type { ApprovalToolOptions } from "../mcp/approval-tools.js";
import { browserGuard, refusal, type BrowserGuard } from "../mcp/browser-guard.js";
import { UsageError } from "../output.js";

const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

/**
 * `greenlight mcp`: an MCP server whose tools ask Greenlight for approval (`request_approval`,
 * `check_approval`, `list_my_grants`), as the token's identity, over stdio or, with `--http`,
 * streamable HTTP at `/mcp`, which refuses requests addressed to another host name or sent by
 * a web page (`mcp/browser-guard.ts`).
 *
 * @example
 * GREENLIGHT_API_TOKEN=glr_… greenlight mcp
 * greenlight mcp --http --port 3333
 * greenlight mcp --http --host 0.0.0.0 --allowed-host mcp.internal
 */
export function mcpCommand(): Command {
  return new Command("mcp")
    .description("serve approval tools to AI agents over MCP (stdio, or streamable HTTP with --http)")
    .option("--http", "serve streamable HTTP at /mcp instead of stdio")
    .option("--host <host>", "with --http, the address to listen on", "127.0.0.1")
    .option("--port <port>", "with --http, the port to listen on", "3333")
    .option("--wait <duration>", "how long a tool call waits for a decision unless it asks otherwise", "45s")
    .option("--max-wait <duration>", "the longest wait a tool call may ask for", "10m")
    .option("--progress-every <duration>", "while waiting, how often to send progress notifications to clients that ask for them", "10s")
    .option(
      "--allowed-host <name>",
      "with --http, another host name requests may be addressed to (loopback names and --host always are); repeatable",
      collect,
      [],
    )
    .option(
      "--allowed-origin <origin>",
      "with --http, a browser origin allowed to call (none is by default: web pages are refused); repeatable",
      collect,
      [],
    )
    .action(
      async (
        flags: {
          http?: boolean;
          host: string;
          port: string;
          wait: string;
          maxWait: string;
          progressEvery: string;
          allowedHost: string[];
          allowedOrigin: string[];
        },
        command: Command,
      ) => {
        const mcp = await loadMcp();
        const options: ApprovalToolOptions = {
          client: clientFor(command),
          defaultWaitMs: parseDurationMs(flags.wait, "--wait"),
          maxWaitMs: parseDurationMs(flags.maxWait, "--max-wait"),
          progressEveryMs: Math.max(100, parseDurationMs(flags.progressEvery, "--progress-every")),
          version: VERSION,
        };
        if (!flags.http) {
          await mcp.approvalServer(options).connect(new mcp.StdioServerTransport());
          return;
        }
        const port = Number(flags.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError("--port must be a port number");
        const guard = browserGuard({ listenHost: flags.host, allowedHosts: flags.allowedHost, allowedOrigins: flags.allowedOrigin });
        await serveHttp(mcp, options, guard, flags.host, port);
      },
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * The MCP SDK, zod and the tools, loaded when this command runs: they take a third of a
 * second to load, which every other command (and `npm start`) would otherwise pay.
 */
async function loadMcp() {
  const [{ approvalServer }, { StdioServerTransport }, { StreamableHTTPServerTransport }] = await Promise.all([
    import("../mcp/approval-tools.js"),
    import("@modelcontextprotocol/sdk/server/stdio.js"),
    import("@modelcontextprotocol/sdk/server/streamableHttp.js"),
  ]);
  return { approvalServer, StdioServerTransport, StreamableHTTPServerTransport };
}

type Mcp = Awaited<ReturnType<typeof loadMcp>>;

/** Streamable HTTP without sessions: every request gets its own server and transport. */
async function serveHttp(mcp: Mcp, options: ApprovalToolOptions, guard: BrowserGuard, host: string, port: number): Promise<void> {
  const http = createServer((request, response) => {
    handle(mcp, options, guard, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32603, message: String(error) }, id: null }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, host, () => resolve());
  });
  const address = http.address();
  const shown = typeof address === "object" && address ? `http://${host}:${address.port}/mcp` : `http://${host}:${port}/mcp`;
  process.stderr.write(`greenlight mcp: listening on ${shown}\n`);
  const stop = () => http.close(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

async function handle(
  mcp: Mcp,
  options: ApprovalToolOptions,
  guard: BrowserGuard,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  // Before anything else, whatever the path: a web page gets nothing from this server.
  const refused = refusal(guard, request.headers);
  if (refused !== undefined) {
    response.writeHead(403, { "content-type": "application/json" });
    response.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: refused }, id: null }));
    return;
  }
  const path = (request.url ?? "/").split("?")[0];
  if (path !== "/mcp") {
    response.writeHead(404, { "content-type": "text/plain" }).end("not found: the MCP endpoint is /mcp\n");
    return;
  }
  if (request.method !== "POST") {
    // Without sessions there is no stream to resume or end.
    response.writeHead(405, { allow: "POST", "content-type": "application/json" });
    response.end(
      JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "method not allowed; POST JSON-RPC to /mcp" }, id: null }),
    );
    return;
  }
  const server = mcp.approvalServer(options);
  const transport = new mcp.StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  response.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request, response);
}
