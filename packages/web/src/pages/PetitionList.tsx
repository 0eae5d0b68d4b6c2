import type { Petition } from "@greenlight/sdk";
import { useState } from "react";
import { Pager } from "../components/Pager.js";
import { PetitionSummary } from "../components/PetitionSummary.js";
import { Problem } from "../components/Problem.js";
import { usePageTitle } from "../components/usePageTitle.js";
import { usePolled } from "../components/usePolled.js";
import { RequestActions } from "../request/RequestActions.js";
import { RequestProgress } from "../request/RequestProgress.js";
import { apiFor } from "../session.js";
import "../request/request.css";

/**
 * The person's own requests (those that name them as a petitioner, found by the server among
 * everyone's), newest first, a page at a time, kept current: each says where it stands (who
 * approved, who still may, when it times out or access ends) and offers what can be done with
 * it (cancel, revoke, ask again).
 */
export function PetitionList({ space, email }: { space: string; email: string }) {
  usePageTitle("My requests", space);
  const [pages, setPages] = useState([""]);
  const { value, error, refresh } = usePolled(
    async () => (await apiFor(space)).petition.list({ petitioner: "me", pageSize: 20, pageToken: pages.at(-1) }),
    [space, pages],
    3000,
  );
  const petitions: Petition[] | null = value?.petitions ?? null;

  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">My requests</h1>
      <Problem text={error ? `${error} The list is read again in a few seconds.` : ""} />
      {petitions !== null && petitions.length === 0 && <p>Nothing has been asked for {email} here yet.</p>}
      <ul className="petitions" aria-label="My requests">
        {(petitions ?? []).map((p) => (
          <li key={p.name} className="card" data-petition={p.name}>
            <PetitionSummary space={space} petition={p} />
            <RequestProgress petition={p} />
            <RequestActions space={space} petition={p} onChanged={refresh} />
          </li>
        ))}
      </ul>
      <Pager label="Pages of my requests" pages={pages} next={value?.nextPageToken ?? ""} onPage={setPages} />
    </section>
  );
}
