import type { ReactNode } from "react";
import { Problem } from "../components/Problem.js";

/** What a form's last submission came to (a problem, or what was saved), then its buttons. */
export function FormOutcome({ problem, saved, children }: { problem: string; saved: string; children: ReactNode }) {
  return (
    <>
      <Problem text={problem} />
      {saved && (
        <p className="ok" role="status">
          {saved}
        </p>
      )}
      <div className="row">{children}</div>
    </>
  );
}

/** The buttons of a form that adds an item, or edits the one chosen. */
export function AddOrSave({ editing, onAddInstead }: { editing: boolean; onAddInstead: () => void }) {
  return (
    <>
      <button type="submit" className="approve">
        {editing ? "Save" : "Add"}
      </button>
      {editing && (
        <button type="button" onClick={onAddInstead}>
          Add another instead
        </button>
      )}
    </>
  );
}
