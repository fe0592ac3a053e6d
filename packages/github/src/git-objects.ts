import { createHash } from "node:crypto";

/**
 * Git's object id of a blob: sha1 over "blob <length>\0<bytes>". Computing it
 * locally lets a proposal tell an unchanged file from a changed one by the
 * tree listing alone, without uploading anything.
 */
export function gitBlobSha(content: Uint8Array): string {
  return createHash("sha1").update(`blob ${content.byteLength}\0`).update(content).digest("hex");
}

/** Regular (non-executable) file mode, as the git data API writes it. */
export const FILE_MODE = "100644" as const;
export const DIRECTORY_MODE = "040000";
