import type { SaveState } from "./use-request-draft";

/** The line under the steps that says what autosave did last (announced politely). */
export function SaveStateNote({
  saveState,
  withheldPaths,
}: {
  saveState: SaveState;
  /** Fields the last save left out because their value is not valid yet. */
  withheldPaths: string[];
}) {
  return (
    <p className="text-xs text-slate-500" data-testid="save-state" aria-live="polite">
      {saveState === "saving"
        ? "Saving draft…"
        : saveState === "saved"
          ? withheldPaths.length > 0
            ? `Draft saved, except ${withheldPaths.length === 1 ? "1 field that needs" : `${withheldPaths.length} fields that need`} fixing (marked in red; the saved value stands until then)`
            : "Draft saved"
          : saveState === "error"
            ? "Some fields could not be saved — see the messages"
            : "Drafts save automatically"}
    </p>
  );
}
