import type { Group, Policy } from "@greenlight/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { Problem } from "../components/Problem.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";
import { usePageTitle } from "../components/usePageTitle.js";

const ROLES = ["admin", "reviewer", "petitioner-admin", "member"];

/**
 * Who may do what in the space: its role bindings (people, groups and service accounts per
 * role; add one, remove one) and its groups of people (create, change members, delete, bind to
 * a role). The server reads roles afresh on every request, so a change applies at once.
 */
export function AccessPage({ space }: { space: string }) {
  usePageTitle("Access", space);
  const [reload, setReload] = useState(0);
  const changed = () => setReload((n) => n + 1);
  return (
    <section aria-labelledby="access-title">
      <h1 id="access-title">Access</h1>
      <RoleBindings space={space} reload={reload} onChange={changed} />
      <Groups space={space} reload={reload} onChange={changed} />
    </section>
  );
}

/** `alice@example.com` means the person; anything else is taken as written (`group:dbas`). */
function memberOf(text: string): string {
  const trimmed = text.trim();
  return trimmed.includes("@") && !trimmed.includes(":") ? `user:${trimmed.toLowerCase()}` : trimmed;
}

function RoleBindings({ space, reload, onChange }: { space: string; reload: number; onChange: () => void }) {
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [member, setMember] = useState("");
  const [role, setRole] = useState("member");
  const [problem, setProblem] = useState("");
  const [listProblem, setListProblem] = useState("");

  useEffect(() => {
    apiFor(space)
      .then((api) => api.space.getPolicy())
      .then((answer) => {
        setPolicy(answer);
        setListProblem("");
      })
      .catch((e: unknown) => setListProblem(problemOf(e)));
  }, [space, reload]);

  async function add(event: FormEvent) {
    event.preventDefault();
    setProblem("");
    try {
      setPolicy(await (await apiFor(space)).space.addToRole(role, memberOf(member)));
      setMember("");
      onChange();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  async function remove(bound: string, from: string) {
    setListProblem("");
    try {
      setPolicy(await (await apiFor(space)).space.removeFromRole(from, bound));
      onChange();
    } catch (e) {
      setListProblem(problemOf(e));
    }
  }

  const membersOf = (r: string) => policy?.bindings.find((b) => b.role === r)?.members ?? [];
  return (
    <section aria-labelledby="roles-title">
      <h2 id="roles-title">Roles</h2>
      <form className="card" onSubmit={(e) => void add(e)} aria-label="Add to a role">
        <div className="filters">
          <label className="wide">
            Member
            <input
              required
              value={member}
              onChange={(e) => setMember(e.target.value)}
              placeholder="alice@example.com or group:dbas"
              aria-describedby="member-hint"
              spellCheck={false}
              autoCapitalize="none"
            />
          </label>
          <label>
            Role
            <select value={role} onChange={(e) => setRole(e.target.value)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="approve">
            Add to role
          </button>
        </div>
        <p id="member-hint" className="muted">
          An email for a person, <code>group:&lt;name&gt;</code> for a group, <code>serviceAccount:&lt;id&gt;</code> for a service account.
        </p>
        <Problem text={problem} />
      </form>
      <Problem text={listProblem} />
      {policy && (
        <ul className="petitions" aria-label="Role bindings">
          {ROLES.map((r) => (
            <li key={r} className="card" data-role={r}>
              <h3>{r}</h3>
              {membersOf(r).length === 0 ? (
                <p className="muted">Nobody.</p>
              ) : (
                <ul className="tokens" aria-label={`Members of ${r}`}>
                  {membersOf(r).map((m) => (
                    <li key={m} data-member={m}>
                      <code>{m}</code>{" "}
                      <button type="button" className="deny" onClick={() => void remove(m, r)} aria-label={`Remove ${m} from ${r}`}>
                        Remove
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Groups({ space, reload, onChange }: { space: string; reload: number; onChange: () => void }) {
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [problem, setProblem] = useState("");

  useEffect(() => {
    apiFor(space)
      .then((api) => api.group.list({ pageSize: 100 }))
      .then((page) => {
        setGroups(page.groups);
        setProblem("");
      })
      .catch((e: unknown) => setProblem(problemOf(e)));
  }, [space, reload]);

  return (
    <section aria-labelledby="groups-title">
      <h2 id="groups-title">Groups</h2>
      <CreateGroup space={space} onDone={onChange} />
      <Problem text={problem} />
      {groups !== null && groups.length === 0 && <p>No groups yet.</p>}
      <ul className="petitions" aria-label="Groups">
        {(groups ?? []).map((group) => (
          <li key={group.name} className="card" data-group={group.name}>
            <GroupCard space={space} group={group} onChange={onChange} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Emails separated by commas, spaces or lines. */
function emailsOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter(Boolean);
}

function CreateGroup({ space, onDone }: { space: string; onDone: () => void }) {
  const [name, setName] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [members, setMembers] = useState("");
  const [problem, setProblem] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem("");
    try {
      await (await apiFor(space)).group.create({ name: name.trim(), ...(displayName ? { displayName } : {}), members: emailsOf(members) });
      setName("");
      setDisplayName("");
      setMembers("");
      onDone();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="new-group-title">
      <h3 id="new-group-title">New group</h3>
      <div className="filters">
        <label>
          Group name
          <input
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="dbas"
            spellCheck={false}
            autoCapitalize="none"
          />
        </label>
        <label>
          Display name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} placeholder="optional" />
        </label>
      </div>
      <label>
        Members (emails)
        <textarea
          rows={3}
          value={members}
          onChange={(e) => setMembers(e.target.value)}
          placeholder="carol@example.com, dave@example.com"
          spellCheck={false}
          autoCapitalize="none"
        />
      </label>
      <Problem text={problem} />
      <div className="row">
        <button type="submit" className="approve">
          Create group
        </button>
      </div>
    </form>
  );
}

function GroupCard({ space, group, onChange }: { space: string; group: Group; onChange: () => void }) {
  const [members, setMembers] = useState(group.members.join("\n"));
  const [role, setRole] = useState("reviewer");
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState("");
  const [note, setNote] = useState("");
  // The saved members, once the list is read again.
  useEffect(() => setMembers(group.members.join("\n")), [group.updateTime]);

  async function act(what: () => Promise<unknown>, done: string) {
    setProblem("");
    setNote("");
    try {
      await what();
      setNote(done);
      onChange();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }
  const api = () => apiFor(space);

  return (
    <>
      <div className="row">
        <strong>{group.displayName || group.name}</strong>
        <code>group:{group.name}</code>
        <span>
          {group.members.length} member{group.members.length === 1 ? "" : "s"}
        </span>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            async () => (await api()).group.update(group.name, { displayName: group.displayName, members: emailsOf(members) }),
            "Members saved.",
          );
        }}
        aria-label={`Members of group ${group.name}`}
      >
        <label>
          Members of {group.name}
          <textarea
            rows={Math.max(2, group.members.length)}
            value={members}
            onChange={(e) => setMembers(e.target.value)}
            spellCheck={false}
          />
        </label>
        <div className="row">
          <button type="submit">Save members</button>
        </div>
      </form>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => (await api()).space.addToRole(role, `group:${group.name}`), `Bound to ${role}.`);
        }}
        aria-label={`Roles of group ${group.name}`}
      >
        <label>
          Role for {group.name}
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="approve">
          Add group to role
        </button>
        {confirming ? (
          <>
            <button type="button" className="deny" onClick={() => void act(async () => (await api()).group.delete(group.name), "")}>
              Delete {group.name} and its role bindings
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete group ${group.name}`}>
            Delete
          </button>
        )}
      </form>
      {note && (
        <p className="ok" role="status">
          {note}
        </p>
      )}
      <Problem text={problem} />
    </>
  );
}
