import type { Review } from "@greenlight/sdk";

type Step = Review["steps"][number];

/** Who may approve a step, in words: "carol@example.com, the group sre or anyone with the role reviewer". */
export function whoApproves(step: Step): string {
  const { users, groups, roles, serviceAccounts, bots } = step.reviewers;
  const parts = [
    ...users,
    ...groups.map((group) => `the group ${group}`),
    ...(roles.length > 0 ? [`anyone with the role ${orList(roles)}`] : []),
    ...serviceAccounts.map((account) => `the service account ${account}`),
    ...bots.map((bot) => `the bot ${bot}`),
  ];
  return parts.length > 0 ? orList(parts) : "nobody named yet";
}

/** How many approvals a step needs, from whom: "1 approval from carol@example.com". */
export function stepNeeds(step: Step): string {
  return `${step.approvals} approval${step.approvals === 1 ? "" : "s"} from ${whoApproves(step)}`;
}

/** A reviewer as the plan records them ("user:carol@example.com") in words. */
export function reviewerName(key: string): string {
  return key.replace(/^user:/, "").replace(/^serviceAccount:/, "service account ");
}

function orList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
