import type { PullPolicy, PullPolicyInput } from "@greenlight/sdk";
import { useState, type FormEvent } from "react";
import { DeleteButton } from "../components/DeleteButton.js";
import { Problem } from "../components/Problem.js";
import { usePageTitle } from "../components/usePageTitle.js";
import { usePolled } from "../components/usePolled.js";
import { when } from "../format.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";
import { listOf } from "./form-values.js";
import { AddOrSave, FormOutcome } from "./FormOutcome.js";
import "./admin.css";

const EMPTY = { name: "", displayName: "", schedule: "@hourly", kinds: "" };

/**
 * Pull policies: a PullUpdate of some resource kinds from the space's pullUpdate webhooks on a
 * schedule, each with its next and last run and what that run brought (how many resources,
 * and each webhook's error); made, changed, deleted and run at once here.
 */
export function PullPoliciesPage({ space }: { space: string }) {
  usePageTitle("Pull policies", space);
  const { value: policies, error, refresh } = usePolled(async () => (await (await apiFor(space)).pullPolicy.list()).pullPolicies, [space]);
  const [editing, setEditing] = useState<PullPolicy | null>(null);
  const [form, setForm] = useState(EMPTY);
  const [problem, setProblem] = useState("");
  const [saved, setSaved] = useState("");
  const [running, setRunning] = useState("");
  const [ran, setRan] = useState<{ name: string; problem: string } | null>(null);

  function edit(policy: PullPolicy | null) {
    setEditing(policy);
    setProblem("");
    setSaved("");
    setForm(
      policy
        ? { name: policy.meta.name, displayName: policy.meta.displayName, schedule: policy.schedule, kinds: policy.kinds.join(", ") }
        : EMPTY,
    );
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setProblem("");
    setSaved("");
    const kinds = listOf(form.kinds);
    if (kinds.length === 0) return setProblem("Name at least one resource kind to pull, such as okta.v1.Group.");
    const input: PullPolicyInput = {
      meta: { name: editing?.meta.name ?? form.name.trim(), displayName: form.displayName.trim() },
      schedule: form.schedule.trim(),
      kinds,
      // A PUT replaces the flags: the ones saved are kept, as this form does not edit them.
      ...(editing ? { flags: editing.flags } : {}),
    };
    try {
      const api = await apiFor(space);
      const result = editing ? await api.pullPolicy.update(editing.meta.name, input) : await api.pullPolicy.create(input);
      edit(result);
      setSaved(`Saved ${result.meta.name}; it next runs ${when(result.nextRunTime)}.`);
      refresh();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  async function run(name: string) {
    setRunning(name);
    setRan(null);
    try {
      await (await apiFor(space)).pullPolicy.run(name);
      setRan({ name, problem: "" });
      refresh();
    } catch (e) {
      setRan({ name, problem: problemOf(e) });
    } finally {
      setRunning("");
    }
  }

  const set = (field: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  return (
    <section aria-labelledby="pulls-title">
      <h1 id="pulls-title">Pull policies</h1>
      <p className="hint">
        Each asks the space&apos;s pullUpdate webhooks for resources of some kinds on its schedule, and writes what they return into the
        catalog.
      </p>
      <Problem text={error} />
      {policies !== null && policies.length === 0 && <p>No pull policies yet: add one below.</p>}
      <ul className="admin-list" aria-label="Pull policies">
        {(policies ?? []).map((p) => (
          <li key={p.meta.name} className="card" data-pull-policy={p.meta.name}>
            <div className="row">
              <strong>{p.meta.displayName || p.meta.name}</strong>
              <code>{p.schedule}</code>
              {p.lastResult && (
                <span className={`badge ${p.lastResult.errors.length ? "badge-bad" : "badge-ok"}`}>
                  {p.lastResult.errors.length ? "last run failed" : "last run worked"}
                </span>
              )}
            </div>
            <p>{p.kinds.join(", ")}</p>
            <dl className="facts">
              <dt>Next run</dt>
              <dd>{when(p.nextRunTime)}</dd>
              <dt>Last run</dt>
              <dd>{p.lastRunTime ? when(p.lastRunTime) : "never"}</dd>
              {p.lastResult && (
                <>
                  <dt>Last result</dt>
                  <dd data-testid="last-result">
                    {p.lastResult.resources} resource{p.lastResult.resources === 1 ? "" : "s"}
                    {p.lastResult.errors.length ? `; ${p.lastResult.errors.join("; ")}` : ""}
                  </dd>
                </>
              )}
            </dl>
            {ran?.name === p.meta.name &&
              (ran.problem ? (
                <Problem text={ran.problem} />
              ) : (
                <p className="ok" role="status">
                  Ran {p.meta.name}.
                </p>
              ))}
            <div className="row">
              <button
                type="button"
                disabled={running === p.meta.name}
                onClick={() => void run(p.meta.name)}
                aria-label={running === p.meta.name ? undefined : `Run now: ${p.meta.name}`}
              >
                {running === p.meta.name ? "Running…" : "Run now"}
              </button>
              <button type="button" onClick={() => edit(p)} aria-label={`Edit ${p.meta.name}`}>
                Edit
              </button>
              <DeleteButton
                label={`Delete ${p.meta.name}`}
                confirm={`Delete ${p.meta.name}: it stops running`}
                remove={async () => (await apiFor(space)).pullPolicy.delete(p.meta.name)}
                onDeleted={() => {
                  if (editing?.meta.name === p.meta.name) edit(null);
                  refresh();
                }}
              />
            </div>
          </li>
        ))}
      </ul>
      <form className="card admin-form" onSubmit={(e) => void save(e)} aria-labelledby="pull-form-title">
        <h2 id="pull-form-title">{editing ? `Edit ${editing.meta.name}` : "Add a pull policy"}</h2>
        {!editing && (
          <label>
            Name
            <input value={form.name} onChange={set("name")} required placeholder="okta-groups" spellCheck={false} />
          </label>
        )}
        <label>
          Display name
          <input value={form.displayName} onChange={set("displayName")} placeholder="Okta groups" />
        </label>
        <label>
          Schedule
          <input
            value={form.schedule}
            onChange={set("schedule")}
            required
            placeholder="@hourly, @every 15m or 0 * * * *"
            spellCheck={false}
          />
        </label>
        <label>
          Resource kinds (separated by commas)
          <input value={form.kinds} onChange={set("kinds")} required placeholder="okta.v1.Group" spellCheck={false} />
        </label>
        <FormOutcome problem={problem} saved={saved}>
          <AddOrSave editing={editing !== null} onAddInstead={() => edit(null)} />
        </FormOutcome>
      </form>
    </section>
  );
}
