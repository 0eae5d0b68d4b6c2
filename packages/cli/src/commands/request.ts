import { approval, ApprovalError, outcomeOf } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor, collect, parseDurationMs, parseResource } from "../client.js";
import { EXIT, parseFormat, printJson, UsageError } from "../output.js";

/**
 * `greenlight request`: asks for access; with `--wait`, waits for the decision as
 * `await approval()` does, with the same progress lines (a denial with its reason), and exits
 * 0 only if granted; with `-o json`, it prints the outcome, whatever it is.
 *
 * @example
 * greenlight request --resource okta.v1.Group:engineering --reason "to debug production" --duration 2h --wait
 */
export function requestCommand(): Command {
  return new Command("request")
    .description("petition for access (with --wait, until it is decided)")
    .requiredOption("-r, --resource <kind:id>", "what is asked for, as kind:id (repeat for more)", collect)
    .option("--reason <text>", "why; reviewers read it", "")
    .option("--duration <duration>", "how long access is asked for, such as 2h")
    .option("--for <email>", "petition on behalf of someone else (needs the petitioner-admin role)", collect)
    .option("-w, --wait", "wait for the decision; exit 0 if granted, 1 if not")
    .option("--timeout <duration>", "with --wait, how long to wait", "10m")
    .option("-o, --output <format>", "text or json", "text")
    .action(
      async (
        options: { resource: string[]; reason: string; duration?: string; for?: string[]; wait?: boolean; timeout: string; output: string },
        command: Command,
      ) => {
        const format = parseFormat(options.output);
        const client = clientFor(command);
        const resources = options.resource.map(parseResource);
        const petitioners = options.for?.map((email) => ({ kind: "user", email }));
        if (options.wait) {
          const asked = approval(
            {
              reason: options.reason,
              resources,
              ...(petitioners ? { petitioners } : {}),
              ...(options.duration ? { duration: options.duration } : {}),
            },
            { client, timeout: parseDurationMs(options.timeout, "--timeout"), quiet: format === "json" },
          );
          if (format === "text") {
            await asked;
            return;
          }
          // A script reads the outcome whatever it is: granted, denied with the reviewer's
          // reason, still pending when the wait ran out, …; the exit code says it too.
          const petition = await asked.catch((error: unknown) => {
            if (error instanceof ApprovalError && error.petition) return error.petition;
            throw error;
          });
          // Without `message`: it speaks to an agent, in its tools' names.
          const { message: _, ...outcome } = outcomeOf(petition);
          printJson(outcome);
          if (petition.state.status.phase !== "granted") process.exitCode = EXIT.failed;
          return;
        }
        if (options.timeout !== "10m") throw new UsageError("--timeout goes with --wait");
        const petition = await client.petition.create({
          reason: options.reason,
          resources,
          ...(petitioners ? { petitioners } : {}),
          ...(options.duration ? { defaultDuration: options.duration } : {}),
        });
        if (format === "json") printJson(petition);
        else process.stdout.write(`${petition.name}\t${petition.state.status.phase}\n`);
      },
    );
}
