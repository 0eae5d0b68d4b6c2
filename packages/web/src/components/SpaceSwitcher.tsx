import { navigate, spaceHref } from "../router.js";
import type { SessionSpace } from "../session.js";

/**
 * Which space the pages show, for someone with a role in more than one. Switching keeps the
 * page (the inbox stays the inbox) except a petition's, which belongs to its own space.
 */
export function SpaceSwitcher({ spaces, space, page }: { spaces: SessionSpace[]; space: string; page: string }) {
  if (spaces.length < 2) return null;
  return (
    <div className="space-switcher">
      <label htmlFor="space-switcher">Space</label>
      <select
        id="space-switcher"
        value={space}
        onChange={(event) => navigate(spaceHref(event.target.value, page.startsWith("/petitions/") ? "/" : page))}
      >
        {spaces.map((s) => (
          <option key={s.name} value={s.name}>
            {s.displayName && s.displayName !== s.name ? `${s.displayName} (${s.name})` : s.name}
          </option>
        ))}
      </select>
    </div>
  );
}
