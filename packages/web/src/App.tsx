import { useEffect, useState } from "react";
import { PetitionList } from "./pages/PetitionList.js";
import { PetitionPage } from "./pages/PetitionPage.js";
import { PolicyEditor } from "./pages/PolicyEditor.js";
import { RequestPage } from "./pages/RequestPage.js";
import { linkProps, usePath } from "./router.js";
import { currentSession, signOut, type Session } from "./session.js";

const SPACE = "default";

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const path = usePath();
  useEffect(() => {
    currentSession().then(setSession, () => setSession(null));
  }, []);

  if (session === undefined) return <p className="shell">Loading…</p>;
  if (session === null) {
    const returnTo = encodeURIComponent(location.pathname + location.search);
    return (
      <main className="shell signin">
        <h1>Greenlight</h1>
        <p>Request and review access.</p>
        <a className="button" href={`/auth/login?returnTo=${returnTo}`}>
          Sign in
        </a>
      </main>
    );
  }

  const petition = /^\/spaces\/([^/]+)\/petitions\/([^/]+)$/.exec(path);
  let page;
  if (petition)
    page = <PetitionPage space={decodeURIComponent(petition[1]!)} name={decodeURIComponent(petition[2]!)} email={session.email} />;
  else if (path === "/requests") page = <PetitionList space={SPACE} email={session.email} mode="mine" />;
  else if (path === "/inbox") page = <PetitionList space={SPACE} email={session.email} mode="inbox" />;
  else if (path === "/admin/policy") page = <PolicyEditor space={SPACE} />;
  else page = <RequestPage space={SPACE} email={session.email} />;

  return (
    <div className="shell">
      <header>
        <a className="brand" {...linkProps("/")}>
          Greenlight
        </a>
        <nav aria-label="Main">
          <a {...linkProps("/")} aria-current={path === "/" ? "page" : undefined}>
            Request
          </a>
          <a {...linkProps("/requests")} aria-current={path === "/requests" ? "page" : undefined}>
            My requests
          </a>
          <a {...linkProps("/inbox")} aria-current={path === "/inbox" ? "page" : undefined}>
            Inbox
          </a>
          <a {...linkProps("/admin/policy")} aria-current={path === "/admin/policy" ? "page" : undefined}>
            Policy
          </a>
        </nav>
        <span className="who">{session.email}</span>
        <button type="button" onClick={() => void signOut().then(() => setSession(null))}>
          Sign out
        </button>
      </header>
      <main>{page}</main>
    </div>
  );
}
