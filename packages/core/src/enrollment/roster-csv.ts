import { createHash } from "node:crypto";
import { CsvError, parse } from "csv-parse/sync";
import { z } from "zod";

/**
 * Roster CSV (docs/guides/enrollment.md): a header row, then one person per
 * row. Columns, in any order and any letter case:
 *   email  required
 *   name   optional, shown on the roster until the person signs in
 *   role   optional: empty or "student". Staff (TAs, instructors) are invited
 *          by email instead, so a CSV never hands out hub admin rights.
 * Other columns (a section, a student number) are ignored and listed in the
 * preview, so nothing is dropped without the instructor seeing it.
 */
export const maxRosterRows = 5_000;
export const maxRosterCsvCharacters = 1_000_000;

const columnAliases: Record<string, "email" | "name" | "role"> = {
  email: "email",
  "e-mail": "email",
  "email address": "email",
  name: "name",
  "full name": "name",
  role: "role",
};

export interface ParsedRosterRow {
  /** The line in the file, counting the header as line 1. */
  line: number;
  email: string;
  name: string | null;
  role: "STUDENT";
  errors: string[];
}

export interface ParsedRoster {
  rows: ParsedRosterRow[];
  ignoredColumns: string[];
  /** Problems with the file as a whole (no email column, not CSV, too long). */
  fileErrors: string[];
}

const emailSchema = z.email();

function roleFrom(value: string): { role: "STUDENT" } | { error: string } {
  const normalised = value.trim().toLowerCase();
  if (normalised === "" || normalised === "student") return { role: "STUDENT" };
  if (["ta", "teaching assistant", "instructor", "teacher"].includes(normalised))
    return {
      error: `Role "${value.trim()}" cannot be given by CSV: invite staff from the Roster page`,
    };
  return { error: `Unknown role "${value.trim()}": use student, or leave it empty` };
}

/** Parses and checks a roster CSV without touching the database. */
export function parseRosterCsv(text: string): ParsedRoster {
  if (text.length > maxRosterCsvCharacters)
    return { rows: [], ignoredColumns: [], fileErrors: ["The file is larger than 1 MB"] };
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    });
  } catch (error) {
    const message = error instanceof CsvError ? error.message : String(error);
    return { rows: [], ignoredColumns: [], fileErrors: [`Not a readable CSV file: ${message}`] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], ignoredColumns: [], fileErrors: ["The file is empty"] };
  const columns = header.map((cell) => columnAliases[cell.trim().toLowerCase()]);
  const ignoredColumns = header.filter((_, index) => columns[index] === undefined);
  const indexOf = (column: "email" | "name" | "role") => columns.indexOf(column);
  if (indexOf("email") < 0)
    return {
      rows: [],
      ignoredColumns,
      fileErrors: [
        'The first row must be a header with an "email" column (and optionally name, role)',
      ],
    };
  if (body.length > maxRosterRows)
    return {
      rows: [],
      ignoredColumns,
      fileErrors: [`At most ${maxRosterRows} people per import (this file has ${body.length})`],
    };

  const firstLineOf = new Map<string, number>();
  const rows = body.map((record, index): ParsedRosterRow => {
    const line = index + 2;
    const cell = (column: "email" | "name" | "role") => {
      const position = indexOf(column);
      return position < 0 ? "" : (record[position] ?? "");
    };
    const errors: string[] = [];
    const email = cell("email").toLowerCase();
    if (!email) errors.push("Email is missing");
    else if (!emailSchema.safeParse(email).success)
      errors.push(`"${email}" is not an email address`);
    const role = roleFrom(cell("role"));
    if ("error" in role) errors.push(role.error);
    const name = cell("name").slice(0, 200) || null;
    const earlier = email ? firstLineOf.get(email) : undefined;
    if (earlier !== undefined) errors.push(`Duplicate of line ${earlier}`);
    else if (email) firstLineOf.set(email, line);
    return { line, email, name, role: "STUDENT", errors };
  });
  return { rows, ignoredColumns, fileErrors: [] };
}

/** Identifies exactly the text that was previewed, so only that is committed. */
export function rosterDigest(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
