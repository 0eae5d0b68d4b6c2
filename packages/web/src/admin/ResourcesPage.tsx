import type { Resource } from "@greenlight/sdk";
import { useEffect, useState, type ChangeEvent } from "react";
import { Pager } from "../components/Pager.js";
import { Problem } from "../components/Problem.js";
import { usePageTitle } from "../components/usePageTitle.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";
import "./admin.css";

const MAX_UPLOAD = 1000;

/**
 * The space's catalog, a page at a time, searched and filtered by a label selector on the
 * server (so a search finds matches on every page, not only the one shown), and an upload of a
 * JSON array of resources: each created or updated by kind and id, all in one transaction,
 * so a refused upload changes nothing and says which entry is at fault.
 */
export function ResourcesPage({ space }: { space: string }) {
  const [resources, setResources] = useState<Resource[] | null>(null);
  const [pages, setPages] = useState([""]);
  const [next, setNext] = useState("");
  const [selector, setSelector] = useState("");
  const [search, setSearch] = useState("");
  const [error, setError] = useState("");
  const [reload, setReload] = useState(0);
  usePageTitle("Resources", space);

  useEffect(() => setPages([""]), [selector, search]);

  useEffect(() => {
    let live = true;
    // Until this page arrives, Next would carry the token of the page before.
    setNext("");
    const timer = setTimeout(() => {
      apiFor(space)
        .then((api) => api.resource.list({ pageSize: 25, pageToken: pages.at(-1), labelSelector: selector.trim(), search: search.trim() }))
        .then((page) => {
          if (!live) return;
          setResources(page.resources);
          setNext(page.nextPageToken);
          setError("");
        })
        .catch((e: unknown) => live && setError(problemOf(e)));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [space, pages, selector, search, reload]);

  return (
    <section aria-labelledby="resources-title">
      <h1 id="resources-title">Resources</h1>
      <Upload space={space} onDone={() => setReload((n) => n + 1)} />
      <h2>Catalog</h2>
      <div className="filters">
        <label>
          Search
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="an id, name or email"
            spellCheck={false}
          />
        </label>
        <label>
          Label selector
          <input value={selector} onChange={(e) => setSelector(e.target.value)} placeholder="env=prod" spellCheck={false} />
        </label>
      </div>
      <Problem text={error} />
      {resources !== null && resources.length === 0 && <p>No resources match.</p>}
      {/* Focusable, so a keyboard can scroll a table wider than the screen. */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Resources (scrolls sideways when wide)">
        <table aria-label="Resources" className="stacked">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Id</th>
              <th scope="col">Name</th>
              <th scope="col">Labels</th>
            </tr>
          </thead>
          <tbody>
            {(resources ?? []).map((r) => (
              <tr key={`${r.kind}/${r.id ?? r.email}`}>
                <td data-label="Kind">{r.kind}</td>
                <td data-label="Id">{r.id ?? r.email}</td>
                <td data-label="Name">{r.displayName}</td>
                <td data-label="Labels">
                  {Object.entries(r.labels ?? {})
                    .map(([key, value]) => `${key}=${value}`)
                    .join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager label="Pages of resources" pages={pages} next={next} onPage={setPages} />
    </section>
  );
}

/** A JSON array of resources, from a file or pasted, sent to the bulk API. */
function Upload({ space, onDone }: { space: string; onDone: () => void }) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState("");
  const [done, setDone] = useState("");
  const [busy, setBusy] = useState(false);

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) setText(await file.text());
  }

  async function upload() {
    setProblem("");
    setDone("");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return setProblem(`Not valid JSON: ${(e as Error).message}. Correct it, or choose the file again.`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { resources?: unknown })?.resources;
    if (!Array.isArray(list)) return setProblem('Expected a JSON array of resources: [{"kind": "…", "id": "…", "displayName": "…"}]');
    if (list.length === 0) return setProblem("The array is empty: nothing to upload.");
    if (list.length > MAX_UPLOAD) return setProblem(`At most ${MAX_UPLOAD} resources go in one upload; this has ${list.length}. Split it.`);
    setBusy(true);
    try {
      const saved = await (await apiFor(space)).resource.bulkUpdate({ resources: list as Resource[] });
      setDone(`Saved ${saved.length} resource${saved.length === 1 ? "" : "s"}.`);
      onDone();
    } catch (e) {
      setProblem(problemOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card admin-form" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload resources</h2>
      <p className="hint" id="upload-help">
        A JSON array of resources (<code>kind</code>, <code>id</code>, <code>displayName</code>, <code>labels</code>); each is created, or
        updated if its kind and id exist. Up to {MAX_UPLOAD} at once.
      </p>
      <label>
        JSON file
        <input type="file" accept="application/json,.json" onChange={(e) => void readFile(e)} />
      </label>
      <label htmlFor="upload-text">Resources (JSON)</label>
      <textarea
        id="upload-text"
        className="code"
        rows={6}
        value={text}
        spellCheck={false}
        aria-describedby="upload-help upload-result"
        aria-invalid={problem !== ""}
        onChange={(e) => setText(e.target.value)}
        placeholder='[{"kind": "aws.v1.Role", "id": "prod-admin", "displayName": "Production admin", "labels": {"env": "prod"}}]'
      />
      <div id="upload-result">
        <Problem text={problem} />
        {done && (
          <p className="ok" role="status">
            {done}
          </p>
        )}
      </div>
      <div className="row">
        <button type="button" className="approve" disabled={busy || text.trim() === ""} onClick={() => void upload()}>
          Upload
        </button>
      </div>
    </section>
  );
}
