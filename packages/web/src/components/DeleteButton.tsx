import { useState } from "react";
import { problemOf } from "../problem.js";
import { Problem } from "./Problem.js";

/** Delete, asked twice: the second button says what goes with it; a refusal is shown beside it. */
export function DeleteButton({
  label,
  confirm,
  remove,
  onDeleted,
}: {
  /** The first button's accessible name: "Delete subscription audit". */
  label: string;
  /** The second button: "Delete audit and what it has waiting". */
  confirm: string;
  remove: () => Promise<void>;
  onDeleted: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState("");

  async function run() {
    setProblem("");
    try {
      await remove();
      onDeleted();
    } catch (e) {
      setProblem(problemOf(e));
      setConfirming(false);
    }
  }

  return (
    <>
      {confirming ? (
        <>
          <button type="button" className="deny" onClick={() => void run()}>
            {confirm}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setConfirming(true)} aria-label={label}>
          Delete
        </button>
      )}
      <Problem text={problem} />
    </>
  );
}
