import { readFileSync } from "node:fs";
import { GreenlightError, type PolicyDocument, type PolicyExplanation } from "@greenlight/sdk";
import { Command } from "commander";
import { LineCounter, parseDocument, stringify } from "yaml";
import { clientFor } from "../client.js";
import { parseFormat, printJson, printTable, shortTime, UsageError } from "../output.js";

/**
 * `greenlight policies …`: the space's access policy, kept as a YAML (or JSON) file.
 *
 * @example
 * greenlight policies validate policy.yaml        # problems name their line and column
 * greenlight policies set policy.yaml
 * greenlight policies explain pet_01j9…           # which rule matched, who may review
 * greenlight policies replay draft.yaml --limit 200
 */
export function policiesCommand(): Command {
  const policies = new Command("policies").description("the access policy: who must approve what, what is decided at once");

  policies
    .command("get")
    .description("print the policy in force (YAML; -o json for JSON)")
    .option("-o, --output <format>", "yaml or json", "yaml")
    .option("--version <n>", "an earlier version")
    .action(async (options: { output: string; version?: string }, command: Command) => {
      const client = clientFor(command);
      const found =
        options.version === undefined
          ? await client.policy.get()
          : await client.policy.getVersion(wholeNumber(options.version, "--version"));
      if (options.output === "json") return printJson(found);
      if (options.output !== "yaml") throw new UsageError("-o must be yaml or json");
      if (found.policy === null) {
        process.stdout.write(`# version ${found.version}: no policy; any admin or reviewer of the space approves\n`);
        return;
      }
      process.stdout.write(
        `# version ${found.version}, saved ${shortTime(found.createTime)} by ${found.createdBy}\n${stringify(found.policy)}`,
      );
    });

  policies
    .command("validate <file>")
    .description("check a policy file (- for stdin) without saving it")
    .action(async (file: string, _options: unknown, command: Command) => {
      const policy = readPolicyFile(file);
      const result = await withPlaces(policy, () => clientFor(command).policy.validate(policy.document));
      process.stdout.write(`${file}: valid, ${result.rules} rule${result.rules === 1 ? "" : "s"}\n`);
    });

  policies
    .command("set <file>")
    .description("save a policy file (- for stdin) as the next version")
    .option("--expected-version <n>", "save only if the policy is still at this version")
    .action(async (file: string, options: { expectedVersion?: string }, command: Command) => {
      const policy = readPolicyFile(file);
      const expectedVersion =
        options.expectedVersion === undefined ? undefined : wholeNumber(options.expectedVersion, "--expected-version");
      const saved = await withPlaces(policy, () =>
        clientFor(command).policy.set(policy.document, expectedVersion === undefined ? {} : { expectedVersion }),
      );
      process.stdout.write(`Saved the policy as version ${saved.version}\n`);
    });

  policies
    .command("delete")
    .description("remove the policy: any admin or reviewer approves again")
    .action(async (_options: unknown, command: Command) => {
      const removed = await clientFor(command).policy.remove();
      process.stdout.write(`Removed the policy (version ${removed.version})\n`);
    });

  policies
    .command("versions")
    .description("list the policy's versions, newest first")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const { versions } = await clientFor(command).policy.versions({ pageSize: 100 });
      if (format === "json") return printJson(versions);
      printTable(
        ["VERSION", "SAVED", "BY", ""],
        versions.map((v) => [String(v.version), shortTime(v.createTime), v.createdBy, v.removed ? "(removed)" : ""]),
      );
    });

  policies
    .command("explain <petition>")
    .description("why the policy does what it does with a petition")
    .option("--policy <file>", "explain with a draft policy instead")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (petition: string, options: { policy?: string; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const draft = options.policy === undefined ? undefined : readPolicyFile(options.policy);
      const explanation = await clientFor(command).policy.explain({ petition, ...(draft ? { policy: draft.document } : {}) });
      if (format === "json") return printJson(explanation);
      printExplanation(explanation);
    });

  policies
    .command("replay <file>")
    .description("run the latest petitions through a draft policy (changes nothing)")
    .option("--limit <n>", "how many of the latest petitions", "100")
    .option("--changed", "list only the petitions the draft would decide differently")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (file: string, options: { limit: string; changed?: boolean; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const draft = readPolicyFile(file);
      const report = await withPlaces(draft, () =>
        clientFor(command).policy.replay({ policy: draft.document, limit: wholeNumber(options.limit, "--limit") }),
      );
      if (format === "json") return printJson(report);
      process.stdout.write(
        `Replayed ${report.replayed} petitions: ${report.changed} would be decided differently; ` +
          `${report.wouldAutoApprove} approved at once, ${report.wouldAutoDeny} denied at once, ${report.wouldNeedReview} for review\n`,
      );
      const rows = report.petitions.filter((p) => !options.changed || p.changed);
      if (rows.length === 0) return;
      printTable(
        ["PETITION", "NOW", "DRAFT", ""],
        rows.map((p) => [p.name, p.actual.decidedBy, p.summary, p.changed ? "changed" : ""]),
      );
    });

  return policies;
}

interface PolicyFile {
  file: string;
  document: PolicyDocument;
  /** `line:column` of a path such as `rules[2].match.condition`, or of the nearest part of it. */
  locate(field: string): string;
}

function readPolicyFile(file: string): PolicyFile {
  let text: string;
  try {
    text = file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const problem = doc.errors[0];
  if (problem) {
    const at = problem.linePos?.[0];
    throw new UsageError(`${file}:${at ? `${at.line}:${at.col}` : "?"}: not valid YAML or JSON: ${problem.message.split("\n")[0]}`);
  }
  const document = doc.toJS() as PolicyDocument;
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new UsageError(`${file}: a policy is a mapping with a "rules" list`);
  }
  const locate = (field: string): string => {
    // The server names a place as rules[2].match or, for shape errors, policy.rules.2.match.
    const keys = (field.match(/[^.[\]]+/g) ?? []).filter((key, i) => !(i === 0 && key === "policy"));
    for (let n = keys.length; n > 0; n--) {
      const node = doc.getIn(
        keys.slice(0, n).map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
        true,
      ) as { range?: [number, number, number] } | undefined;
      if (node?.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return `${line}:${col}`;
      }
    }
    return "1:1";
  };
  return { file, document, locate };
}

/** Runs a request that sends the policy, and puts the file's line and column on a problem the server names. */
async function withPlaces<T>(policy: PolicyFile, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof GreenlightError && error.code === "INVALID_ARGUMENT" && error.field !== undefined) {
      throw new UsageError(`${policy.file}:${policy.locate(error.field)}: ${error.message}`);
    }
    throw error;
  }
}

function printExplanation(x: PolicyExplanation): void {
  const out: string[] = [];
  const version = x.draft ? "a draft policy" : x.policyVersion === null ? "no policy" : `policy version ${x.policyVersion}`;
  const outcome = { approve: "approved at once", deny: "denied at once", review: "reviewed by people" }[x.outcome];
  const subject = x.petition
    ? `Petition ${x.petition.name} (${x.petition.phase}${x.petition.outcome ? `, ${x.petition.outcome}` : ""})`
    : "The request";
  out.push(`${subject} would be ${outcome} under ${version}${x.decidedBy ? `, by ${x.decidedBy}` : ""}${x.reason ? `: ${x.reason}` : ""}`);
  const omitted = x.omittedTraces ?? 0;
  for (const pair of x.pairs) {
    out.push("", `${pair.petitioner} → ${pair.resource}: ${pair.result}`);
    if (pair.rules.length === 0)
      out.push(
        omitted > 0 ? "  (its rules are not shown: an explanation shows the first 2,000 rule tests)" : "  no rule applies to this kind",
      );
    for (const rule of pair.rules) {
      const why = rule.matched ? rule.held.join("; ") || "it applies to everything" : (rule.failed ?? "");
      out.push(`  ${rule.matched ? "✓" : "✗"} ${rule.rule}: ${why}${rule.conditionError ? ` (${rule.conditionError})` : ""}`);
    }
  }
  if (omitted > 0) out.push("", `${omitted} more rule test${omitted === 1 ? "" : "s"} not shown`);
  const steps = (title: string, plan: PolicyExplanation["plan"]) => {
    out.push("", title);
    for (const step of plan.steps) {
      const counted = step.approvedBy ? `, approved by ${step.approvedBy.join(", ") || "nobody yet"}` : "";
      const who = step.eligible.join(", ") || "nobody (no eligible reviewer!)";
      out.push(`  ${step.approvals} of ${who} (${step.rule} / ${step.name})${counted}`);
    }
  };
  if (x.outcome === "review") steps(x.petition ? "Under this policy it would need:" : "Needs:", x.plan);
  const made = x.petition?.madeUnder;
  if (made) {
    const version = made.policyVersion === null ? "no policy" : `policy version ${made.policyVersion}`;
    steps(`As it was made (under ${version}), it needs:`, made);
  }
  out.push(
    "",
    `Grants: up to ${x.plan.maxDuration}, ${x.plan.defaultDuration} unless an approver says; ${x.plan.allowIndefinite ? "until revoked allowed" : "never until revoked"}`,
  );
  if (x.plan.pendingTimeout) out.push(`Times out after ${x.plan.pendingTimeout} undecided`);
  for (const check of x.onCall)
    out.push(`On call: ${check.provider} (${check.kind}) for ${check.email}: ${check.detail}${check.cached ? " (cached)" : ""}`);
  for (const hook of x.webhooks) out.push(`Decision webhook ${hook.webhook} (selected by ${hook.policies.join(", ")}): ${hook.detail}`);
  process.stdout.write(`${out.join("\n")}\n`);
}

function wholeNumber(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}
