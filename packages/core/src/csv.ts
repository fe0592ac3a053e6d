// CSV exports (spend report, gradebook): one writer, so every export quotes
// the same way and is defused against spreadsheet formula injection.

/** A CSV value, quoted when needed; a leading =, +, -, @ becomes text, not a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows of cells as CSV text, one line per row, ending in a newline. */
export function renderCsv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return `${rows.map((row) => row.map(csvCell).join(",")).join("\n")}\n`;
}
