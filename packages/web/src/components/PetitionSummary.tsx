import type { Petition } from "@greenlight/sdk";
import { riskLabels, shortDuration, status, what, when, who } from "../format.js";
import { linkProps, spaceHref } from "../router.js";

/** A petition in a list: what, its status, who asked and why, and the labels that tell its risk. */
export function PetitionSummary({ space, petition }: { space: string; petition: Petition }) {
  const risks = riskLabels(petition);
  return (
    <>
      <div className="row">
        <a {...linkProps(spaceHref(space, `/petitions/${petition.name}`))}>{petition.resources.map(what).join(", ")}</a>
        <span className={`status status-${petition.state.status.phase}`} aria-label="status">
          {status(petition)}
        </span>
        <HighRisk petition={petition} />
      </div>
      <p>
        <strong>{petition.petitioners.map(who).join(", ")}</strong>: {petition.reason || "no reason given"}
        {petition.defaultDuration ? ` · for ${shortDuration(petition.defaultDuration)}` : ""} · {when(petition.meta.createTime)}
      </p>
      <RiskLabels labels={risks} as="p" />
    </>
  );
}

/** The labels that tell a petition's risk (`env=prod`), as tags; nothing when there are none. */
export function RiskLabels({ labels, as: Element, className = "" }: { labels: string[]; as: "p" | "span"; className?: string }) {
  if (labels.length === 0) return null;
  return (
    <Element className={`risk ${className}`.trim()} aria-label="Risk labels">
      {labels.map((label) => (
        <span key={label} className="label">
          {label}
        </span>
      ))}
    </Element>
  );
}

/** Says a petition is high risk, before anyone decides: approving it asks for a fresh sign-in. */
export function HighRisk({ petition }: { petition: Petition }) {
  if (petition.state.review?.highRisk !== true) return null;
  return (
    <span className="high-risk" title="Approving it needs a recent sign-in with the identity provider or a passkey">
      High risk
    </span>
  );
}
