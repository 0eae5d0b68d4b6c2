import type { ExplainedPlan, PolicyExplanation } from "@greenlight/sdk";
import { goDurationShort } from "../format.js";
import { namedReviewers, shortPrincipal } from "../review/words.js";

/**
 * Why the policy asks what it asks of a petition: the rules that matched each petitioner and
 * resource (and why), and what the petition needs: each step's approvals, from whom, and who
 * has approved so far. A petition is judged by the plan it was made under.
 */
export function Explanation({ explanation }: { explanation: PolicyExplanation }) {
  const plan: ExplainedPlan = explanation.petition?.madeUnder ?? explanation.plan;
  const matched = explanation.pairs.flatMap((pair) => pair.rules.filter((rule) => rule.matched).map((rule) => ({ pair, rule })));
  return (
    <div className="explanation">
      <p>
        <strong>Rule: </strong>
        {matched.length === 0
          ? "no rule matched; the space's default review applies"
          : matched.map(({ pair, rule }, i) => (
              <span key={`${pair.petitioner}|${pair.resource}|${rule.rule}`}>
                {i > 0 ? "; " : ""}
                <code>{rule.rule}</code> for {pair.resource}
                {rule.held.length > 0 ? ` (${rule.held.join(", ")})` : ""}
              </span>
            ))}
        {explanation.draft && !explanation.petition
          ? " · in the draft"
          : plan.policyVersion !== null
            ? ` · policy version ${plan.policyVersion}`
            : " · no policy: the built-in review"}
      </p>
      <p>
        <strong>Needs: </strong>
        {plan.steps.length === 0
          ? describeOutcome(explanation)
          : plan.steps.map((step, i) => (
              <span key={`${step.rule}/${step.name}`}>
                {i > 0 ? "; and " : ""}
                {step.approvals} of {reviewersOf(step)}
                {step.approvedBy && step.approvedBy.length > 0 ? `, approved by ${step.approvedBy.map(shortPrincipal).join(", ")}` : ""}
              </span>
            ))}
        {plan.maxDuration ? ` · for at most ${goDurationShort(plan.maxDuration)}` : ""}
      </p>
    </div>
  );
}

function reviewersOf(step: ExplainedPlan["steps"][number]): string {
  return namedReviewers(step.reviewers as Parameters<typeof namedReviewers>[0]).join(", ") || step.eligible.join(", ") || "nobody";
}

function describeOutcome(explanation: PolicyExplanation): string {
  if (explanation.outcome === "approve") return `nobody: approved at once${explanation.decidedBy ? ` by ${explanation.decidedBy}` : ""}`;
  if (explanation.outcome === "deny") return `nothing: denied at once${explanation.decidedBy ? ` by ${explanation.decidedBy}` : ""}`;
  return "a review";
}
