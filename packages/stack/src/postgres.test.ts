import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firstClosedAncestor } from "./postgres";

const scratch = await mkdtemp(path.join(os.tmpdir(), "hubfed-closed-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("firstClosedAncestor (can the postgres account reach the repository?)", () => {
  it("names the first directory others cannot pass through, and nothing when all are open", async () => {
    const open = path.join(scratch, "open", "repo");
    const closed = path.join(scratch, "closed");
    await mkdir(open, { recursive: true });
    await mkdir(path.join(closed, "repo"), { recursive: true });
    await chmod(scratch, 0o755);
    await chmod(path.join(scratch, "open"), 0o755);
    await chmod(open, 0o755);
    await chmod(closed, 0o700);
    expect(firstClosedAncestor(open)).toBeNull();
    expect(firstClosedAncestor(path.join(closed, "repo"))).toBe(closed);
    // mktemp's directories are 0700 themselves.
    await chmod(scratch, 0o700);
    expect(firstClosedAncestor(open)).toBe(scratch);
  });
});
