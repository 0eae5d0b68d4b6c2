import type { Petition } from "@greenlight/sdk";
import { riskLabels, when } from "../format.js";
import { HighRisk, RiskLabels } from "../components/PetitionSummary.js";
import { requestedMs, spokenDuration } from "./durations.js";
import { agentOf, namedReviewers, shortPrincipal } from "./words.js";
import "./review.css";

type Step = NonNullable<Petition["state"]["review"]>["steps"][number];

/**
 * What a reviewer weighs before deciding, beside who asked and why: how risky it is, who (or
 * which agent) asked and for how long, the rules and the policy version it was made under, when
 * it times out, and each approval step's progress with who may still approve.
 */
export function ReviewFacts({ petition }: { petition: Petition }) {
  const review = petition.state.review;
  const risks = riskLabels(petition).filter((label) => !label.startsWith("agent="));
  const agent = agentOf(petition);
  const asked = requestedMs(petition);
  return (
    <>
      <dl className="facts review-facts">
        <dt>Risk</dt>
        <dd data-testid="risk">
          {review?.highRisk ? <HighRisk petition={petition} /> : "not high risk"}
          <RiskLabels labels={risks} as="span" className="review-risk" />
        </dd>
        {agent && (
          <>
            <dt>Asked by</dt>
            <dd data-testid="agent">
              the agent <strong>{agent.agent}</strong>
              {agent.onBehalfOf ? (
                <>
                  , acting for <strong>{agent.onBehalfOf}</strong>
                </>
              ) : (
                ", for itself"
              )}
            </dd>
          </>
        )}
        <dt>For how long</dt>
        <dd data-testid="asked-duration">{asked ? spokenDuration(asked) : "no duration asked: the plan's default applies"}</dd>
        <dt>Rules</dt>
        <dd data-testid="rules">
          {review && review.rules.length > 0
            ? review.rules.map((rule, i) => (
                <span key={rule}>
                  {i > 0 ? ", " : ""}
                  <code>{rule}</code>
                </span>
              ))
            : "no rule matched: the space's default review"}
          {review?.policyVersion !== undefined ? ` · policy version ${review.policyVersion}` : " · no policy: the built-in review"}
        </dd>
        {review?.timeoutTime && petition.state.status.phase === "open" && (
          <>
            <dt>Times out</dt>
            <dd data-testid="timeout">
              <time dateTime={review.timeoutTime}>{when(review.timeoutTime)}</time>, if nobody has decided by then
            </dd>
          </>
        )}
      </dl>
      {review && review.steps.length > 0 && (
        <section aria-labelledby="approvals-title">
          <h2 id="approvals-title">Approvals</h2>
          <ol className="steps" aria-label="Approval steps">
            {review.steps.map((step) => (
              <li key={`${step.rule}/${step.name}`} data-step={step.name}>
                <ApprovalStep step={step} />
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}

function ApprovalStep({ step }: { step: Step }) {
  const given = Math.min(step.approvedBy.length, step.approvals);
  return (
    <>
      <div className="step-head">
        <strong>{step.name}</strong> <span className="muted">(rule {step.rule})</span>:{" "}
        <span className={step.satisfied ? "ok" : undefined}>
          {given} of {step.approvals} approval{step.approvals === 1 ? "" : "s"}
          {step.satisfied ? ", done" : ""}
        </span>
        <progress max={step.approvals} value={given} aria-label={`${step.name}: ${given} of ${step.approvals} approvals`} />
      </div>
      {step.approvedBy.length > 0 && <p>Approved by {step.approvedBy.map(shortPrincipal).join(", ")}</p>}
      {!step.satisfied && <p>May still approve: {namedReviewers(step.reviewers).join(", ") || "nobody named"}</p>}
    </>
  );
}
