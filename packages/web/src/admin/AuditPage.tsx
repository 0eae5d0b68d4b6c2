import type { AuditEvent, AuditQuery } from "@greenlight/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { Pager } from "../components/Pager.js";
import { Problem } from "../components/Problem.js";
import { usePageTitle } from "../components/usePageTitle.js";
import { when, who } from "../format.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";
import "./admin.css";

/**
 * The space's audit log: searched by actor, resource, event, time and who wrote it, a page at
 * a time, and exported with the same filters as JSONL (each line verifiable) or CSV. Each
 * event says whether Greenlight wrote it or an application did through an input, and when
 * such an event arrived: its own time is only what the application said. The API takes only
 * bearer tokens, so an export is read through the SDK and handed to the browser as a file.
 * Routine token issuance (every sign-in mints tokens) is left out unless asked for, by the
 * server, so pages of decisions are not pages of tokens.
 */
export function AuditPage({ space }: { space: string }) {
  const [form, setForm] = useState({ actor: "", resource: "", event: "", start: "", end: "", writer: "", tokens: false });
  const [query, setQuery] = useState<AuditQuery>({ excludeEvent: TOKENS });
  usePageTitle("Audit log", space);
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [pages, setPages] = useState([""]);
  const [next, setNext] = useState("");
  const [error, setError] = useState("");
  const [exported, setExported] = useState("");

  useEffect(() => {
    let live = true;
    // Until this page arrives, Next would carry the token of the page before.
    setNext("");
    apiFor(space)
      .then((api) => api.audit.list({ ...query, pageSize: 50, pageToken: pages.at(-1) }))
      .then((page) => {
        if (!live) return;
        setEvents(page.events);
        setNext(page.nextPageToken);
        setError("");
      })
      .catch((e: unknown) => live && setError(problemOf(e)));
    return () => {
      live = false;
    };
  }, [space, query, pages]);

  function queryOf(): AuditQuery | undefined {
    const found: AuditQuery = {};
    if (form.actor.trim()) found.actor = form.actor.trim();
    if (form.resource.trim()) found.resource = form.resource.trim();
    if (form.event.trim()) found.event = form.event.trim();
    if (form.writer === "server" || form.writer === "input") found.writer = form.writer;
    if (!form.tokens) found.excludeEvent = TOKENS;
    for (const [field, value] of [
      ["startTime", form.start],
      ["endTime", form.end],
    ] as const) {
      if (!value) continue;
      const time = new Date(value);
      if (Number.isNaN(time.getTime())) {
        setError(`${field === "startTime" ? "From" : "Until"} is not a date and time: pick one, or clear the field.`);
        return undefined;
      }
      found[field] = time.toISOString();
    }
    return found;
  }

  function search(event: FormEvent) {
    event.preventDefault();
    const found = queryOf();
    if (!found) return;
    setQuery(found);
    setPages([""]);
  }

  async function download(format: "jsonl" | "csv") {
    setExported("");
    setError("");
    try {
      const lines: string[] = [];
      for await (const line of (await apiFor(space)).audit.export({ ...query, format })) lines.push(line);
      const file = new Blob([lines.map((line) => `${line}\n`).join("")], { type: format === "csv" ? "text/csv" : "application/x-ndjson" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(file);
      link.download = `audit-${space}.${format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      // A CSV starts with its header row.
      const count = format === "csv" ? Math.max(lines.length - 1, 0) : lines.length;
      setExported(`Exported ${count} event${count === 1 ? "" : "s"} as ${format.toUpperCase()}.`);
    } catch (e) {
      setError(problemOf(e));
    }
  }

  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form className="card" onSubmit={search} aria-label="Search the audit log">
        <div className="filters">
          <label>
            Actor
            <input value={form.actor} onChange={set("actor")} placeholder="alice@example.com" spellCheck={false} />
          </label>
          <label>
            Resource
            <input value={form.resource} onChange={set("resource")} placeholder="an id or email" spellCheck={false} />
          </label>
          <label>
            Event
            <input value={form.event} onChange={set("event")} placeholder="access/*" spellCheck={false} />
          </label>
          <label>
            From
            <input type="datetime-local" value={form.start} onChange={set("start")} />
          </label>
          <label>
            Until
            <input type="datetime-local" value={form.end} onChange={set("end")} />
          </label>
          <label className="check">
            <input type="checkbox" checked={form.tokens} onChange={(e) => setForm({ ...form, tokens: e.target.checked })} />
            Show tokens issued at sign-in
          </label>
          <label>
            Written by
            <select value={form.writer} onChange={set("writer")}>
              <option value="">anyone</option>
              <option value="server">Greenlight</option>
              <option value="input">applications (inputs)</option>
            </select>
          </label>
        </div>
        <div className="row">
          <button type="submit" className="approve">
            Search
          </button>
          <button type="button" onClick={() => void download("jsonl")}>
            Export JSONL
          </button>
          <button type="button" onClick={() => void download("csv")}>
            Export CSV
          </button>
        </div>
        <p className="hint">Exports hold every event that matches the search, oldest first.</p>
      </form>
      <Problem text={error} />
      {exported && (
        <p className="ok" role="status">
          {exported}
        </p>
      )}
      {events !== null && events.length === 0 && <p>No events match.</p>}
      {/* Focusable, so a keyboard can scroll a table wider than the screen. */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit events (scrolls sideways when wide)">
        <table aria-label="Audit events" className="stacked">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">Actor</th>
              <th scope="col">Resources</th>
              <th scope="col">Reason</th>
              <th scope="col">Written by</th>
            </tr>
          </thead>
          <tbody>
            {(events ?? []).map((e) => (
              <tr key={e.id} data-seq={e.seq}>
                <td data-label="Time">{when(e.timestamp)}</td>
                <td data-label="Event">
                  <code>{e.event}</code>
                </td>
                <td data-label="Actor">{who(e.actor)}</td>
                <td data-label="Resources">{e.resources.map((r) => `${r.kind}/${r.id ?? r.email ?? ""}`).join(", ")}</td>
                <td data-label="Reason">{e.reason}</td>
                <td data-label="Written by" data-writer={e.provenance.writer}>
                  {writtenBy(e)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager label="Pages of the audit log" pages={pages} next={next} onPage={setPages} />
    </section>
  );
}

/** Issued for every page's calls after a sign-in: routine, and shown only when asked for. */
const TOKENS = "token/issued";

/** Greenlight, or the input that wrote the event and when it arrived. */
function writtenBy(event: AuditEvent): string {
  const { provenance } = event;
  return provenance.writer === "server" ? "Greenlight" : `input ${provenance.input}, received ${when(provenance.receiveTime)}`;
}
