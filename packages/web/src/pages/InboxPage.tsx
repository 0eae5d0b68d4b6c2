import type { GreenlightAPI, Petition, PolicyExplanation } from "@greenlight/sdk";
import { useEffect, useRef, useState } from "react";
import { Explanation } from "../components/Explanation.js";
import { Pager } from "../components/Pager.js";
import { PetitionSummary } from "../components/PetitionSummary.js";
import { Problem } from "../components/Problem.js";
import { usePageTitle } from "../components/usePageTitle.js";
import { usePolled } from "../components/usePolled.js";
import { status, when } from "../format.js";
import { problemOf } from "../problem.js";
import { linkProps, spaceHref } from "../router.js";
import { apiFor } from "../session.js";
import { useAnnouncement } from "../review/Announcement.js";
import { BulkBar } from "../review/BulkBar.js";
import { InboxFilters } from "../review/InboxFilters.js";
import { filterInbox, NO_FILTER, type InboxFilter } from "../review/inbox-filters.js";
import { useFaviconBadge } from "../review/useFaviconBadge.js";
import { requestName } from "../review/words.js";
import { ReviewButtons } from "./ReviewButtons.js";

type View = "awaiting" | "decided";

/** A petition's explanation, or why there is none, for the petition as it was (`key`). */
interface Explained {
  key: string;
  explanation?: PolicyExplanation;
  error?: string;
}

/** The most petitions the inbox reads to count and filter (pages of 100); beyond, the count says "+". */
const AWAITING_PAGES = 5;

/**
 * The reviewer's inbox: the open petitions that wait for the signed-in person's review (the
 * server applies each petition's plan), counted in the heading, the tab's title and its icon,
 * filtered and ordered here, each with why the policy asks for it and what it needs, decided
 * one at a time or several together; and the history of petitions they decided. It reads again
 * every few seconds.
 */
export function InboxPage({ space, email, view }: { space: string; email: string; view: View }) {
  return view === "awaiting" ? <Awaiting space={space} /> : <Decided space={space} email={email} />;
}

function Awaiting({ space }: { space: string }) {
  const polled = usePolled(() => apiFor(space).then(readAwaiting), [space], 2000);
  const waiting = polled.value;
  const [filter, setFilter] = useState<InboxFilter>(NO_FILTER);
  const [picked, setPicked] = useState(new Set<string>());
  const explanations = useExplanations(space, waiting?.petitions ?? null);
  const { announce, region } = useAnnouncement();
  // What left the inbox (decided here or elsewhere) is no longer selected.
  const selected = new Set([...picked].filter((name) => waiting?.petitions.some((p) => p.name === name)));

  const count = waiting ? `${waiting.petitions.length}${waiting.more ? "+" : ""}` : "";
  usePageTitle(waiting ? `Inbox (${count})` : "Inbox", space);
  useFaviconBadge(waiting?.petitions.length ?? 0);

  const all = waiting?.petitions ?? [];
  const shown = filterInbox(all, filter, Date.now());
  const selectable = shown.filter((p) => p.state.review?.highRisk !== true);
  const decided = (said: Parameters<typeof announce>[0]) => {
    announce(said);
    polled.refresh();
  };
  const toggle = (name: string, on: boolean) =>
    setPicked((before) => {
      const next = new Set(before);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">Awaiting your review{waiting ? <span className="inbox-count"> ({count})</span> : null}</h1>
      <Tabs space={space} view="awaiting" />
      <Problem text={polled.error} />
      {region}
      {waiting !== null && all.length === 0 && <p>Nothing is waiting for you.</p>}
      {all.length > 0 && (
        <>
          <InboxFilters petitions={all} filter={filter} onChange={setFilter} />
          <p className="hint" data-testid="inbox-shown">
            {shown.length === all.length ? `Showing all ${all.length}.` : `Showing ${shown.length} of ${all.length}.`}
          </p>
          <div className="bulk-select">
            <button type="button" disabled={selectable.length === 0} onClick={() => setPicked(new Set(selectable.map((p) => p.name)))}>
              Select all shown that are not high risk
            </button>
            <button type="button" disabled={selected.size === 0} onClick={() => setPicked(new Set())}>
              Clear selection
            </button>
          </div>
          <BulkBar space={space} selected={all.filter((p) => selected.has(p.name))} onDecided={decided} />
        </>
      )}
      <ul className="petitions" aria-label="Petitions awaiting you">
        {shown.map((p) => {
          const explained = explanations.get(p.name);
          const highRisk = p.state.review?.highRisk === true;
          const noteId = `bulk-note-${p.name}`;
          return (
            <li key={p.name} className="card" data-petition={p.name}>
              <label className="check bulk-pick">
                <input
                  type="checkbox"
                  checked={selected.has(p.name)}
                  disabled={highRisk}
                  aria-describedby={highRisk ? noteId : undefined}
                  onChange={(e) => toggle(p.name, e.target.checked && !highRisk)}
                />
                Select {requestName(p)}
              </label>
              {highRisk && (
                <p id={noteId} className="hint">
                  High risk: decided on its own, not with others.
                </p>
              )}
              <PetitionSummary space={space} petition={p} />
              <section aria-label={`Why it needs you: ${requestName(p)}`} className="why">
                {explained?.explanation && <Explanation explanation={explained.explanation} />}
                {explained?.error && <p className="muted">The policy's explanation is not available: {explained.error}</p>}
                {!explained && <p className="muted">Reading the policy's explanation…</p>}
              </section>
              <ReviewButtons space={space} petition={p} onDecided={decided} />
            </li>
          );
        })}
      </ul>
      {all.length > 0 && shown.length === 0 && <p>No petition waiting for you matches these filters.</p>}
    </section>
  );
}

/** Every petition awaiting the caller, up to `AWAITING_PAGES` pages; `more` when there are others still. */
async function readAwaiting(api: GreenlightAPI): Promise<{ petitions: Petition[]; more: boolean }> {
  const petitions: Petition[] = [];
  let pageToken = "";
  for (let page = 0; page < AWAITING_PAGES; page++) {
    const found = await api.petition.list({ awaiting: "me", pageSize: 100, pageToken });
    petitions.push(...found.petitions);
    pageToken = found.nextPageToken;
    if (!pageToken) return { petitions, more: false };
  }
  return { petitions, more: true };
}

/**
 * Each petition's explanation, asked once for each state of its history (an approval changes
 * what it still needs); a request still on its way is not asked again.
 */
function useExplanations(space: string, petitions: Petition[] | null): Map<string, Explained> {
  const [explanations, setExplanations] = useState(new Map<string, Explained>());
  const asked = useRef(new Set<string>());
  useEffect(() => {
    if (!petitions) return;
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
  }, [space, petitions]);
  return explanations;
}

function Decided({ space, email }: { space: string; email: string }) {
  const [pages, setPages] = useState([""]);
  usePageTitle("Decided by you", space);
  const polled = usePolled(
    () => apiFor(space).then((api) => api.petition.list({ reviewedBy: "me", pageSize: 25, pageToken: pages.at(-1) })),
    [space, pages],
    2000,
  );
  const petitions = polled.value?.petitions ?? null;

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">Decided by you</h1>
      <Tabs space={space} view="decided" />
      <Problem text={polled.error} />
      {petitions !== null && petitions.length === 0 && <p>You have decided nothing yet.</p>}
      <ul className="petitions" aria-label="Petitions you decided">
        {(petitions ?? []).map((p) => (
          <li key={p.name} className="card" data-petition={p.name}>
            <PetitionSummary space={space} petition={p} />
            <p>
              {decisionOf(p, email)} · now {status(p)}
            </p>
          </li>
        ))}
      </ul>
      <Pager label="Pages of the inbox" pages={pages} next={polled.value?.nextPageToken ?? ""} onPage={setPages} />
    </section>
  );
}

function Tabs({ space, view }: { space: string; view: View }) {
  return (
    <nav className="tabs" aria-label="Inbox views">
      <a {...linkProps(spaceHref(space, "/inbox"))} aria-current={view === "awaiting" ? "page" : undefined}>
        Awaiting you
      </a>
      <a {...linkProps(spaceHref(space, "/inbox/decided"))} aria-current={view === "decided" ? "page" : undefined}>
        Decided by you
      </a>
    </nav>
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
