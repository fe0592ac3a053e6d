import { createHash } from "node:crypto";
import { DIRECTORY_MODE, FILE_MODE, gitBlobSha } from "../git-objects";

// The git object database of one fake repository: blobs, trees and commits
// addressed by the same SHA-1 ids real git computes, so what a client
// computes locally (a blob's id) agrees with what the server stores.

export interface TreeEntry {
  name: string;
  mode: string;
  type: "blob" | "tree";
  sha: string;
}

export type GitObject =
  | { type: "blob"; content: Buffer }
  | { type: "tree"; entries: TreeEntry[] }
  | { type: "commit"; tree: string; parents: string[]; message: string };

/** A file in a flattened tree, by its full path. */
export interface FlatEntry {
  mode: string;
  sha: string;
}

function sha1(header: string, body: Buffer): string {
  return createHash("sha1").update(`${header} ${body.byteLength}\0`).update(body).digest("hex");
}

/** Git orders tree entries by name, a directory compared as if its name ended in "/". */
function entrySortKey(entry: TreeEntry): string {
  return entry.type === "tree" ? `${entry.name}/` : entry.name;
}

export class GitObjectStore {
  private readonly objects = new Map<string, GitObject>();

  get(sha: string): GitObject | undefined {
    return this.objects.get(sha);
  }

  putBlob(content: Buffer): string {
    const sha = gitBlobSha(content);
    this.objects.set(sha, { type: "blob", content });
    return sha;
  }

  putTree(entries: TreeEntry[]): string {
    const sorted = [...entries].sort((left, right) =>
      entrySortKey(left) < entrySortKey(right) ? -1 : 1,
    );
    const body = Buffer.concat(
      sorted.map((entry) =>
        Buffer.concat([
          // Git writes directory modes without the leading zero.
          Buffer.from(`${entry.type === "tree" ? "40000" : entry.mode} ${entry.name}\0`),
          Buffer.from(entry.sha, "hex"),
        ]),
      ),
    );
    const sha = sha1("tree", body);
    this.objects.set(sha, { type: "tree", entries: sorted });
    return sha;
  }

  putCommit(tree: string, parents: string[], message: string): string {
    const text = [
      `tree ${tree}`,
      ...parents.map((parent) => `parent ${parent}`),
      "author Hubfed Fake <fake@github.invalid> 0 +0000",
      "committer Hubfed Fake <fake@github.invalid> 0 +0000",
      "",
      message,
    ].join("\n");
    const sha = sha1("commit", Buffer.from(text));
    this.objects.set(sha, { type: "commit", tree, parents, message });
    return sha;
  }

  /** Every file under a tree, by full path (directories are implied by the paths). */
  flatten(
    treeSha: string,
    prefix = "",
    into = new Map<string, FlatEntry>(),
  ): Map<string, FlatEntry> {
    const tree = this.objects.get(treeSha);
    if (tree?.type !== "tree") throw new Error(`no tree ${treeSha}`);
    for (const entry of tree.entries) {
      const path = `${prefix}${entry.name}`;
      if (entry.type === "tree") this.flatten(entry.sha, `${path}/`, into);
      else into.set(path, { mode: entry.mode, sha: entry.sha });
    }
    return into;
  }

  /** Builds (and stores) the nested trees for a set of files; returns the root tree's id. */
  buildTree(files: ReadonlyMap<string, FlatEntry>): string {
    const direct: TreeEntry[] = [];
    const subdirectories = new Map<string, Map<string, FlatEntry>>();
    for (const [path, entry] of files) {
      const slash = path.indexOf("/");
      if (slash === -1) {
        direct.push({ name: path, mode: entry.mode, type: "blob", sha: entry.sha });
        continue;
      }
      const directory = path.slice(0, slash);
      const children = subdirectories.get(directory) ?? new Map<string, FlatEntry>();
      children.set(path.slice(slash + 1), entry);
      subdirectories.set(directory, children);
    }
    for (const [name, children] of subdirectories)
      direct.push({ name, mode: DIRECTORY_MODE, type: "tree", sha: this.buildTree(children) });
    return this.putTree(direct);
  }

  /** Follows a path from a root tree to a blob or tree entry. */
  resolvePath(treeSha: string, path: string): TreeEntry | undefined {
    const segments = path.split("/").filter((segment) => segment !== "");
    let current: TreeEntry = { name: "", mode: DIRECTORY_MODE, type: "tree", sha: treeSha };
    for (const segment of segments) {
      if (current.type !== "tree") return undefined;
      const tree = this.objects.get(current.sha);
      if (tree?.type !== "tree") return undefined;
      const next = tree.entries.find((entry) => entry.name === segment);
      if (!next) return undefined;
      current = next;
    }
    return current;
  }
}

export { FILE_MODE };
