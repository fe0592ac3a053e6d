import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface SelfSignedCertificate {
  /** PEM files, for servers that take paths (redis-server). */
  certificateFile: string;
  keyFile: string;
  /** The same, as text: the certificate is also its own CA for clients that trust it. */
  certificate: string;
  key: string;
}

/**
 * A self-signed certificate for the loopback names (localhost, 127.0.0.1) made with the
 * machine's `openssl`: for tests that need a real TLS server (rediss://, an in-cluster API
 * server). Valid for a day; clients trust it by taking it as their CA.
 */
export async function createSelfSignedCertificate(
  directory: string,
  { commonName = "localhost" }: { commonName?: string } = {},
): Promise<SelfSignedCertificate> {
  const certificateFile = path.join(directory, "tls.crt");
  const keyFile = path.join(directory, "tls.key");
  await execFileAsync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    `/CN=${commonName}`,
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-keyout",
    keyFile,
    "-out",
    certificateFile,
  ]);
  return {
    certificateFile,
    keyFile,
    certificate: await readFile(certificateFile, "utf8"),
    key: await readFile(keyFile, "utf8"),
  };
}
