/**
 * The submission without what running it produced: code cells lose their
 * outputs and execution counts. Grading executes the notebook again, so
 * nothing is lost, and images and long prints no longer count against the
 * ConfigMap's size. Text that is not a notebook is returned unchanged (the
 * driver reports it as unreadable).
 */
export function stripNotebookOutputs(notebook: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(notebook);
  } catch {
    return notebook;
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.cells)) return notebook;
  const cells: unknown[] = parsed.cells.map((cell: unknown) =>
    isRecord(cell) && cell.cell_type === "code"
      ? { ...cell, outputs: [], execution_count: null }
      : cell,
  );
  return JSON.stringify({ ...parsed, cells });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
