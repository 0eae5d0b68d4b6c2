import { linkProps, spaceHref } from "../router.js";
import type { Session } from "../session.js";
import { usePageTitle } from "../components/usePageTitle.js";

/**
 * What someone signed in sees where they hold no role: in no space at all, or not in the one
 * the address names (which may not exist; the page cannot tell, and does not guess), and who
 * can give them one.
 */
export function NoRole({ session, space, onSignOut }: { session: Session; space: string | undefined; onSignOut: () => void }) {
  const elsewhere = session.spaces;
  usePageTitle("No access");
  return (
    <main className="shell signin" id="content">
      <h1>{space === undefined ? "You have no access yet" : `No access to space “${space}”`}</h1>
      <p>
        You are signed in as <strong className="who">{session.email}</strong>, but you hold{" "}
        {space === undefined ? "no role in any space" : `no role in space “${space}”`} of this Greenlight
        {space === undefined ? "." : ", or there is no such space."}
      </p>
      <p>
        An admin of the space you need can give you a role: on the space’s <strong>Access</strong> page, or with{" "}
        <code>POST /v1/spaces/{space ?? "{space}"}:addToRole</code>. Whoever runs this Greenlight server can give you one in any space. Ask
        them for the role you need (<code>member</code> to request access, <code>reviewer</code> to approve); once they have, choose Check
        again.
      </p>
      {elsewhere.length > 0 && (
        <nav aria-label="Your spaces" className="centred">
          {elsewhere.map((s) => (
            <a key={s.name} {...linkProps(spaceHref(s.name))}>
              {s.displayName || s.name}
            </a>
          ))}
        </nav>
      )}
      <div className="row centred">
        <button type="button" onClick={() => location.reload()}>
          Check again
        </button>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </main>
  );
}
