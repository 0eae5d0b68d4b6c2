/**
 * Previous and next for a list paged with tokens: the tokens of the pages seen are kept, so
 * going back asks for the same page again.
 */
export function Pager({
  label,
  pages,
  next,
  onPage,
}: {
  label: string;
  /** Tokens of the pages up to the one shown; the first page's is "". */
  pages: string[];
  next: string;
  onPage: (pages: string[]) => void;
}) {
  if (pages.length <= 1 && !next) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={pages.length <= 1} onClick={() => onPage(pages.slice(0, -1))}>
        Previous
      </button>
      <span>Page {pages.length}</span>
      <button type="button" disabled={!next} onClick={() => onPage([...pages, next])}>
        Next
      </button>
    </nav>
  );
}
