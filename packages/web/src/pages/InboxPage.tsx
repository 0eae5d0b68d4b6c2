import type { Petition, PolicyExplanation } from "@greenlight/sdk";
import { useEffect, useRef, useState } from "react";
import { Explanation } from "../components/Explanation.js";
import { Pager } from "../components/Pager.js";
import { PetitionSummary } from "../components/PetitionSummary.js";
import { Problem } from "../components/Problem.js";
import { status, when } from "../format.js";
import { problemOf } from "../problem.js";
import { linkProps, spaceHref } from "../router.js";
import { apiFor } from "../session.js";
import { ReviewButtons } from "./ReviewButtons.js";

type View = "awaiting" | "decided";

/** A petition's explanation, or why there is none, for the petition as it was (`key`). */
interface Explained {
  key: string;
  explanation?: PolicyExplanation;
  error?: string;
}

/**
 * The reviewer's inbox: the open petitions that wait for the signed-in person's review (the
 * server applies each petition's plan), each with why the policy asks for it and what it
 * needs; and the history of petitions they decided. It reads again every few seconds.
 */
export function InboxPage({ space, email, view }: { space: string; email: string; view: View }) {
  const [petitions, setPetitions] = useState<Petition[] | null>(null);
  const [pages, setPages] = useState([""]);
  const [next, setNext] = useState("");
  const [error, setError] = useState("");
  const [tick, setTick] = useState(0);
  const [explanations, setExplanations] = useState(new Map<string, Explained>());

  useEffect(() => setPages([""]), [view]);

  useEffect(() => {
    let live = true;
    const filter = view === "awaiting" ? { awaiting: "me" as const } : { reviewedBy: "me" as const };
    apiFor(space)
      .then((api) => api.petition.list({ ...filter, pageSize: 25, pageToken: pages.at(-1) }))
      .then((page) => {
        if (!live) return;
        setPetitions(page.petitions);
        setNext(page.nextPageToken);
        setError("");
      })
      .catch((e: unknown) => live && setError(problemOf(e)));
    const timer = setTimeout(() => setTick((n) => n + 1), 2000);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [space, view, pages, tick]);

  // Each petition's explanation, asked once for each state of its history (an approval changes
  // what it still needs); a request still on its way is not asked again.
  const asked = useRef(new Set<string>());
  useEffect(() => {
    if (view !== "awaiting" || !petitions) return;
    const stale = petitions.filter((p) => !asked.current.has(keyOf(p)));
    if (stale.length === 0) return;
    for (const p of stale) asked.current.add(keyOf(p));
    void apiFor(space).then(async (api) => {
      const found = await Promise.all(
        stale.map(async (p) => {
          try {
            const explained: Explained = { key: keyOf(p), explanation: await api.policy.explain({ petition: p.name }) };
            return [p.name, explained] as const;
          } catch (e) {
            const explained: Explained = { key: keyOf(p), error: problemOf(e) };
            return [p.name, explained] as const;
          }
        }),
      );
      setExplanations((known) => new Map([...known, ...found]));
    });
  }, [space, view, petitions]);

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{view === "awaiting" ? "Awaiting your review" : "Decided by you"}</h1>
      <nav className="tabs" aria-label="Inbox views">
        <a {...linkProps(spaceHref(space, "/inbox"))} aria-current={view === "awaiting" ? "page" : undefined}>
          Awaiting you
        </a>
        <a {...linkProps(spaceHref(space, "/inbox/decided"))} aria-current={view === "decided" ? "page" : undefined}>
          Decided by you
        </a>
      </nav>
      <Problem text={error} />
      {petitions !== null && petitions.length === 0 && (
        <p>{view === "awaiting" ? "Nothing is waiting for you." : "You have decided nothing yet."}</p>
      )}
      <ul className="petitions" aria-label={view === "awaiting" ? "Petitions awaiting you" : "Petitions you decided"}>
        {(petitions ?? []).map((p) => {
          const explained = explanations.get(p.name);
          return (
            <li key={p.name} className="card" data-petition={p.name}>
              <PetitionSummary space={space} petition={p} />
              {view === "awaiting" && (
                <section aria-label="Why it needs you" className="why">
                  {explained?.explanation && <Explanation explanation={explained.explanation} />}
                  {explained?.error && <p className="muted">The policy's explanation is not available: {explained.error}</p>}
                  {!explained && <p className="muted">Reading the policy's explanation…</p>}
                </section>
              )}
              {view === "awaiting" ? (
                <ReviewButtons space={space} petition={p} onDone={() => setTick((n) => n + 1)} />
              ) : (
                <p>
                  {decisionOf(p, email)} · now {status(p)}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <Pager label="Pages of the inbox" pages={pages} next={next} onPage={setPages} />
    </section>
  );
}

function keyOf(petition: Petition): string {
  return `${petition.name}#${petition.state.eventHistory.length}`;
}

/** What the reviewer did: their latest approve or deny in the petition's history. */
function decisionOf(petition: Petition, email: string): string {
  const decisions = petition.state.eventHistory.filter(
    (e) => (e.event === "access/approve" || e.event === "access/deny") && e.actor.email?.toLowerCase() === email,
  );
  const last = decisions.at(-1);
  if (!last) return "Decided";
  return `${last.event === "access/approve" ? "Approved" : "Denied"} ${when(last.timestamp)}${last.reason ? `: ${last.reason}` : ""}`;
}
