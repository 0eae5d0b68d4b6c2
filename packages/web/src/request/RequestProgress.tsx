import type { Petition } from "@greenlight/sdk";
import { when } from "../format.js";
import { reviewerName, whoApproves } from "./reviewers.js";

/**
 * Where one of the person's requests stands: for an open one, each step's approvals so far and
 * who may still give them, and when it times out; for granted access, when it ends.
 */
export function RequestProgress({ petition }: { petition: Petition }) {
  const { phase } = petition.state.status;
  const review = petition.state.review;
  if (phase === "open") {
    return (
      <dl className="request-progress">
        {(review?.steps ?? []).map((step) => (
          <div key={step.name} className="request-fact">
            <dt>{step.name}</dt>
            <dd>
              {step.approvedBy.length} of {step.approvals} approval{step.approvals === 1 ? "" : "s"}
              {step.approvedBy.length > 0 && <> (approved by {step.approvedBy.map(reviewerName).join(", ")})</>}
              {!step.satisfied && <>; approvers: {whoApproves(step)}</>}
            </dd>
          </div>
        ))}
        {review?.timeoutTime && (
          <div className="request-fact">
            <dt>Times out</dt>
            <dd>
              <time dateTime={review.timeoutTime}>{when(review.timeoutTime)}</time>
            </dd>
          </div>
        )}
      </dl>
    );
  }
  if (phase === "granted") {
    const expires = petition.meta.expireTime;
    return (
      <dl className="request-progress">
        <div className="request-fact">
          <dt>Expires</dt>
          <dd>{expires ? <time dateTime={expires}>{when(expires)}</time> : "when revoked"}</dd>
        </div>
      </dl>
    );
  }
  return null;
}
