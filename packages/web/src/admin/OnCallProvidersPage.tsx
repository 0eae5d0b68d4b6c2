import type { OnCallProvider, OnCallProviderInput } from "@greenlight/sdk";
import { useState, type FormEvent } from "react";
import { DeleteButton } from "../components/DeleteButton.js";
import { Problem } from "../components/Problem.js";
import { SecretInput } from "../components/SecretInput.js";
import { usePageTitle } from "../components/usePageTitle.js";
import { usePolled } from "../components/usePolled.js";
import { when } from "../format.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";
import { listOf } from "./form-values.js";
import { AddOrSave, FormOutcome } from "./FormOutcome.js";
import "./admin.css";

const KINDS = [
  { kind: "pagerduty", title: "PagerDuty", asks: "schedules" },
  { kind: "opsgenie", title: "Opsgenie", asks: "schedules" },
  { kind: "incidentio", title: "incident.io", asks: "roles" },
] as const;

const EMPTY = { name: "", kind: "pagerduty", baseUrl: "", apiKey: "", schedules: "", roles: "" };

/**
 * The on-call providers a policy's `onCall` condition asks who is on call, with their health
 * (whether the last call worked, and its error if not); added, changed and removed here. The
 * API key is written, never shown back but as the hint the API gives; a new address needs it
 * again, so a key is never sent somewhere it was not given for.
 */
export function OnCallProvidersPage({ space }: { space: string }) {
  usePageTitle("On-call providers", space);
  const {
    value: providers,
    error,
    refresh,
  } = usePolled(async () => (await (await apiFor(space)).onCallProvider.list()).providers, [space]);
  const [editing, setEditing] = useState<OnCallProvider | null>(null);
  const [form, setForm] = useState(EMPTY);
  const [problem, setProblem] = useState("");
  const [saved, setSaved] = useState("");

  const kind = KINDS.find((k) => k.kind === form.kind) ?? KINDS[0];
  // The saved key goes with the saved address: another address (or kind) needs the key again.
  const moved = editing !== null && ((form.baseUrl.trim() !== "" && form.baseUrl.trim() !== editing.baseUrl) || form.kind !== editing.kind);
  const savedKey = editing && !moved ? editing.apiKeyHint : undefined;

  function edit(provider: OnCallProvider | null) {
    setEditing(provider);
    setProblem("");
    setSaved("");
    setForm(
      provider
        ? {
            name: provider.name,
            kind: provider.kind,
            baseUrl: provider.baseUrl,
            apiKey: "",
            schedules: (provider.settings.schedules ?? []).join(", "),
            roles: (provider.settings.roles ?? []).join(", "),
          }
        : EMPTY,
    );
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setProblem("");
    setSaved("");
    const settings = {
      ...(editing?.kind === form.kind ? editing.settings : {}),
      ...(kind.asks === "schedules" ? { schedules: listOf(form.schedules) } : { roles: listOf(form.roles) }),
    };
    const input: OnCallProviderInput = {
      kind: form.kind,
      settings,
      ...(form.baseUrl.trim() ? { baseUrl: form.baseUrl.trim() } : {}),
      ...(form.apiKey ? { apiKey: form.apiKey } : {}),
    };
    try {
      const api = await apiFor(space);
      const result = editing
        ? await api.onCallProvider.update(editing.name, input)
        : await api.onCallProvider.create({ ...input, name: form.name.trim() });
      edit(result);
      setSaved(`Saved ${result.name}.`);
      refresh();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  const set = (field: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  return (
    <section aria-labelledby="oncall-title">
      <h1 id="oncall-title">On-call providers</h1>
      <p className="hint">
        A policy rule with an <code>onCall</code> condition asks these who is on call now. Each is checked when a petition needs it; its
        health is how the last call went.
      </p>
      <Problem text={error} />
      {providers !== null && providers.length === 0 && <p>No on-call providers yet: add one below.</p>}
      <ul className="admin-list" aria-label="On-call providers">
        {(providers ?? []).map((p) => (
          <li key={p.name} className="card" data-provider={p.name}>
            <div className="row">
              <strong>{p.name}</strong>
              <span>{KINDS.find((k) => k.kind === p.kind)?.title ?? p.kind}</span>
              <span className={`badge ${p.healthy ? "badge-ok" : "badge-bad"}`}>{p.healthy ? "healthy" : "failing"}</span>
            </div>
            <p>
              <code>{p.baseUrl}</code> · API key {p.apiKeyHint}
            </p>
            <p>{[...(p.settings.schedules ?? []), ...(p.settings.roles ?? [])].join(", ") || "Nothing to ask yet."}</p>
            <p className={p.healthy ? "muted" : "error"}>
              {!p.healthy && p.lastError
                ? `Last error ${when(p.lastErrorTime)}: ${p.lastError}. Check the API key and the address, then save it again.`
                : p.lastSuccessTime
                  ? `Last answered ${when(p.lastSuccessTime)}`
                  : "Not asked yet"}
            </p>
            <div className="row">
              <button type="button" onClick={() => edit(p)} aria-label={`Edit ${p.name}`}>
                Edit
              </button>
              <DeleteButton
                label={`Delete ${p.name}`}
                confirm={`Delete ${p.name}: rules asking it find nobody on call`}
                remove={async () => (await apiFor(space)).onCallProvider.delete(p.name)}
                onDeleted={() => {
                  if (editing?.name === p.name) edit(null);
                  refresh();
                }}
              />
            </div>
          </li>
        ))}
      </ul>
      <form className="card admin-form" onSubmit={(e) => void save(e)} aria-labelledby="oncall-form-title">
        <h2 id="oncall-form-title">{editing ? `Edit ${editing.name}` : "Add a provider"}</h2>
        {!editing && (
          <label>
            Name
            <input value={form.name} onChange={set("name")} required placeholder="pagerduty-sre" spellCheck={false} />
          </label>
        )}
        <label>
          Provider
          <select value={form.kind} onChange={set("kind")}>
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          API address
          <input type="url" value={form.baseUrl} onChange={set("baseUrl")} placeholder="its public API" spellCheck={false} />
        </label>
        <SecretInput
          label="API key"
          id="oncall-key"
          noun="key"
          value={form.apiKey}
          onChange={(apiKey) => setForm({ ...form, apiKey })}
          saved={savedKey}
          placeholder="the provider's API key"
          about={moved ? "A new address or provider needs the API key again." : "An API key with read access to schedules or roles."}
        />
        {kind.asks === "schedules" ? (
          <label>
            Schedules (ids or names, separated by commas)
            <input value={form.schedules} onChange={set("schedules")} placeholder="P1234AB" spellCheck={false} />
          </label>
        ) : (
          <label>
            Roles (names or shortforms, separated by commas)
            <input value={form.roles} onChange={set("roles")} placeholder="incident-lead" spellCheck={false} />
          </label>
        )}
        <FormOutcome problem={problem} saved={saved}>
          <AddOrSave editing={editing !== null} onAddInstead={() => edit(null)} />
        </FormOutcome>
      </form>
    </section>
  );
}
