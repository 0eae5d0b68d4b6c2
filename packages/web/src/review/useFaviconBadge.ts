import { useEffect } from "react";

/**
 * Shows a count on the tab's icon (the inbox's waiting petitions), drawn as an SVG data: URL
 * (the page's content security policy allows data: images). With nothing to count, and once
 * the page that counts is left, the icon the page had before comes back.
 */
export function useFaviconBadge(count: number): void {
  useEffect(() => {
    const link = iconLink();
    const before = link.element.getAttribute("href");
    link.element.href = count > 0 ? badgeIcon(count) : (before ?? PLAIN);
    link.element.dataset["count"] = String(count);
    return () => {
      if (link.added) link.element.remove();
      else if (before !== null) link.element.setAttribute("href", before);
      delete link.element.dataset["count"];
    };
  }, [count]);
}

/** The page's icon link, or a new one (then removed again on the way out). */
function iconLink(): { element: HTMLLinkElement; added: boolean } {
  const found = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (found) return { element: found, added: false };
  const element = document.createElement("link");
  element.rel = "icon";
  element.type = "image/svg+xml";
  document.head.append(element);
  return { element, added: true };
}

const LIGHT = `<rect width="64" height="64" rx="14" fill="#14532d"/><circle cx="32" cy="32" r="14" fill="#4ade80"/>`;
const PLAIN = svg(LIGHT);

function badgeIcon(count: number): string {
  const text = count > 99 ? "99+" : String(count);
  const size = text.length > 2 ? 22 : 30;
  return svg(
    `${LIGHT}<circle cx="44" cy="20" r="20" fill="#b91c1c"/>` +
      `<text x="44" y="20" dy="0.36em" text-anchor="middle" font-family="system-ui,sans-serif" font-weight="700" font-size="${size}" fill="#fff">${text}</text>`,
  );
}

function svg(body: string): string {
  return `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">${body}</svg>`)}`;
}
