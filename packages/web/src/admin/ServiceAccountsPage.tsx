import type { ServiceAccount, Token } from "@greenlight/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { Problem } from "../components/Problem.js";
import { ShownOnce } from "../components/ShownOnce.js";
import { when } from "../format.js";
import { problemOf } from "../problem.js";
import { apiFor } from "../session.js";
import { usePageTitle } from "../components/usePageTitle.js";

const ROLES = ["admin", "reviewer", "petitioner-admin", "member"];

/**
 * Service accounts (machines that call the API) and their refresh tokens: create an account
 * with its roles, create a token (its secret is shown once, in the answer that made it), list
 * the tokens without secrets, revoke one.
 */
export function ServiceAccountsPage({ space }: { space: string }) {
  usePageTitle("Service accounts", space);
  const [accounts, setAccounts] = useState<ServiceAccount[] | null>(null);
  const [error, setError] = useState("");
  const [reload, setReload] = useState(0);

  useEffect(() => {
    apiFor(space)
      .then((api) => api.serviceAccount.list({ pageSize: 100 }))
      .then((page) => {
        setAccounts(page.serviceAccounts);
        setError("");
      })
      .catch((e: unknown) => setError(problemOf(e)));
  }, [space, reload]);

  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">Service accounts</h1>
      <CreateAccount space={space} onDone={() => setReload((n) => n + 1)} />
      <Problem text={error} />
      {accounts !== null && accounts.length === 0 && <p>No service accounts yet.</p>}
      <ul className="petitions" aria-label="Service accounts">
        {(accounts ?? []).map((account) => (
          <li key={account.serviceAccountId} className="card" data-account={account.name}>
            <AccountCard space={space} account={account} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function CreateAccount({ space, onDone }: { space: string; onDone: () => void }) {
  const [name, setName] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [roles, setRoles] = useState<string[]>(["member"]);
  const [problem, setProblem] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem("");
    try {
      await (await apiFor(space)).serviceAccount.create({ name: name.trim(), ...(displayName ? { displayName } : {}), roles });
      setName("");
      setDisplayName("");
      onDone();
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="new-account-title">
      <h2 id="new-account-title">New service account</h2>
      <div className="filters">
        <label>
          Account name
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="deploy-bot" spellCheck={false} />
        </label>
        <label>
          Display name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} placeholder="optional" />
        </label>
      </div>
      <fieldset className="roles">
        <legend>Roles</legend>
        {ROLES.map((role) => (
          <label key={role} className="check">
            <input
              type="checkbox"
              checked={roles.includes(role)}
              onChange={(e) => setRoles((known) => (e.target.checked ? [...known, role] : known.filter((r) => r !== role)))}
            />
            {role}
          </label>
        ))}
      </fieldset>
      <Problem text={problem} />
      <div className="row">
        <button type="submit" className="approve">
          Create service account
        </button>
      </div>
    </form>
  );
}

function AccountCard({ space, account }: { space: string; account: ServiceAccount }) {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [label, setLabel] = useState("");
  const [days, setDays] = useState(90);
  const [fresh, setFresh] = useState<Token | null>(null);
  const [problem, setProblem] = useState("");
  const [reload, setReload] = useState(0);

  useEffect(() => {
    apiFor(space)
      .then((api) => api.token.list({ serviceAccountId: account.serviceAccountId, pageSize: 100 }))
      .then((page) => setTokens(page.tokens))
      .catch((e: unknown) => setProblem(problemOf(e)));
  }, [space, account.serviceAccountId, reload]);

  async function createToken(event: FormEvent) {
    event.preventDefault();
    setProblem("");
    try {
      const token = await (
        await apiFor(space)
      ).token.create({
        serviceAccountId: account.serviceAccountId,
        ...(label ? { displayName: label } : {}),
        expiryDays: days,
      });
      setFresh(token);
      setLabel("");
      setReload((n) => n + 1);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  async function revoke(token: Token) {
    setProblem("");
    try {
      await (await apiFor(space)).token.revoke(token.name);
      if (fresh?.name === token.name) setFresh(null);
      setReload((n) => n + 1);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }

  return (
    <>
      <div className="row">
        <strong>{account.displayName || account.name}</strong>
        <code>{account.email}</code>
        <span>{account.roles.join(", ") || "no role"}</span>
      </div>
      {fresh?.refreshToken && (
        <ShownOnce label="New token" inputLabel="New refresh token" value={fresh.refreshToken} onDone={() => setFresh(null)}>
          <strong>Copy this token now: it is not shown again.</strong> Exchange it at <code>POST /v1/auth/token</code> for access tokens.
        </ShownOnce>
      )}
      <form className="filters" onSubmit={(e) => void createToken(e)} aria-label={`New token for ${account.name}`}>
        <label>
          Token label
          <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="ci" />
        </label>
        <label>
          Expires after (days)
          <input type="number" min={1} max={3650} value={days} onChange={(e) => setDays(Number(e.target.value) || 1)} />
        </label>
        <button type="submit">Create token</button>
      </form>
      <Problem text={problem} />
      {tokens !== null && tokens.length === 0 && <p className="muted">No tokens.</p>}
      {tokens !== null && tokens.length > 0 && (
        <ul className="tokens" aria-label={`Tokens of ${account.name}`}>
          {tokens.map((token) => (
            <li key={token.name} data-token={token.name}>
              <code>{token.name}</code> {token.displayName} · made {when(token.meta.createTime)}
              {token.meta.expireTime ? ` · expires ${when(token.meta.expireTime)}` : ""}
              {token.lastUseTime ? ` · last used ${when(token.lastUseTime)}` : " · never used"}{" "}
              <button type="button" className="deny" onClick={() => void revoke(token)} aria-label={`Revoke token ${token.name}`}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
