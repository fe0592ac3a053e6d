import { createHash, randomBytes } from "node:crypto";

/** An invitation token: 256 random bits, URL-safe. Only its hash is stored. */
export function generateInvitationToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
