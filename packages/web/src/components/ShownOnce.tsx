import type { ReactNode } from "react";

/** A secret the server shows once, in the answer that made it: to copy now, with what it is for. */
export function ShownOnce({
  label,
  inputLabel,
  value,
  onDone,
  children,
}: {
  /** The box's accessible name: "New token". */
  label: string;
  /** The field's: "New refresh token". */
  inputLabel: string;
  value: string;
  onDone: () => void;
  /** What to do now, and with what. */
  children: ReactNode;
}) {
  return (
    <div className="secret" role="status" aria-label={label}>
      <p>{children}</p>
      <input readOnly value={value} aria-label={inputLabel} onFocus={(e) => e.target.select()} />
      <div className="row">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(value)}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
