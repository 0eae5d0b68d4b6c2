import { useEffect, useState } from "react";
import { currentSession } from "../session.js";

/**
 * The signed-in person's roles in the space, as the session names them (the server reads them
 * again on every request: these only decide what the page offers). Empty until read.
 */
export function useSpaceRoles(space: string): string[] {
  const [roles, setRoles] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    currentSession().then(
      (session) => live && setRoles(session?.spaces.find((s) => s.name === space)?.roles ?? []),
      () => live && setRoles([]),
    );
    return () => {
      live = false;
    };
  }, [space]);
  return roles;
}

/** Whether these roles may petition on behalf of others. */
export function mayRequestForOthers(roles: string[]): boolean {
  return roles.includes("admin") || roles.includes("petitioner-admin");
}
