import { describe, expect, it } from "vitest";
import { parseRosterCsv } from "./roster-csv";

describe("parseRosterCsv", () => {
  it("reads email, name and role in any column order and case, ignoring other columns", () => {
    const parsed = parseRosterCsv(
      "Name,EMAIL,Section,role\nAda Lovelace, Ada@Example.edu ,101,student\nAlan Turing,alan@example.edu,102,\n",
    );
    expect(parsed.fileErrors).toEqual([]);
    expect(parsed.ignoredColumns).toEqual(["Section"]);
    expect(parsed.rows).toEqual([
      { line: 2, email: "ada@example.edu", name: "Ada Lovelace", role: "STUDENT", errors: [] },
      { line: 3, email: "alan@example.edu", name: "Alan Turing", role: "STUDENT", errors: [] },
    ]);
  });

  it("gives every bad row its own error", () => {
    const parsed = parseRosterCsv(
      [
        "email,name,role",
        "not-an-email,Bad Email,student",
        "ok@example.edu,Fine,",
        "ok@EXAMPLE.edu,Again,student",
        "ta@example.edu,Staff,ta",
        "x@example.edu,Odd,auditor",
        ",No Email,",
      ].join("\n"),
    );
    const errorsByLine = Object.fromEntries(parsed.rows.map((row) => [row.line, row.errors]));
    expect(errorsByLine[2]?.[0]).toMatch(/not an email address/);
    expect(errorsByLine[3]).toEqual([]);
    expect(errorsByLine[4]).toEqual(["Duplicate of line 3"]);
    expect(errorsByLine[5]?.[0]).toMatch(/cannot be given by CSV/);
    expect(errorsByLine[6]?.[0]).toMatch(/Unknown role "auditor"/);
    expect(errorsByLine[7]).toEqual(["Email is missing"]);
  });

  it("refuses files without an email header or that are not CSV", () => {
    expect(parseRosterCsv("name\nAda\n").fileErrors[0]).toMatch(/"email" column/);
    expect(parseRosterCsv('email\n"unterminated\n').fileErrors[0]).toMatch(/Not a readable CSV/);
    expect(parseRosterCsv("").fileErrors[0]).toMatch(/empty/);
  });
});
