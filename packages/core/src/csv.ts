// CSV exports (spend report, gradebook): one writer, so every export quotes
// the same way and is defused against spreadsheet formula injection.

/**
 * A number cell: written as the number it is, never guarded as text. Only a
 * plain decimal ("-12.50", "3") is accepted, so nothing a formula could hide in
 * gets past the guard this way.
 */
export interface CsvNumber {
  readonly csvNumber: string;
}

export type CsvCell = string | CsvNumber;

const decimal = /^-?\d+(\.\d+)?$/;

export function csvNumber(value: number | bigint | string): CsvNumber {
  const text = String(value);
  if (!decimal.test(text)) throw new Error(`Not a plain decimal number: ${text}`);
  return { csvNumber: text };
}

/** Cents as a plain decimal in the currency's unit ("-12.50"), for CSV cells and text reports. */
export function centsAsDecimal(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const absolute = cents < 0n ? -cents : cents;
  return `${sign}${absolute / 100n}.${(absolute % 100n).toString().padStart(2, "0")}`;
}

/**
 * A text value, quoted when needed; a leading =, +, -, @, tab or carriage
 * return becomes text, not a formula. Numbers are not text and are written as
 * they are, so "-12.50" stays a negative number.
 */
function csvCell(cell: CsvCell): string {
  if (typeof cell !== "string") return cell.csvNumber;
  const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows of cells as CSV text, one line per row, ending in a newline. */
export function renderCsv(rows: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  return `${rows.map((row) => row.map(csvCell).join(",")).join("\n")}\n`;
}
