import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { isPortOpen, waitFor } from "./ports";

export interface RedisHandle {
  url: string;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  dataDirectory: string;
  port: number;
  /** Keep an append-only file so queued jobs survive a restart. */
  isPersistent: boolean;
  log?: (line: string) => void;
  /**
   * Serve TLS only, on `port` (PEM files): what managed Redis services offer as rediss://.
   * Clients must trust the certificate.
   */
  tls?: { certificateFile: string; keyFile: string };
}

function findRedisServer(): string | undefined {
  try {
    return (
      execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/**
 * Finds `redis-server`, installing Debian's package when we are root and it is
 * missing (ADR 0002). Throws with instructions otherwise.
 */
export function ensureRedisServerBinary(log: (line: string) => void = () => undefined): string {
  const existing = findRedisServer();
  if (existing) return existing;
  if (process.getuid?.() !== 0) {
    throw new Error(
      "redis-server was not found. Install it (Debian/Ubuntu: sudo apt-get install redis-server) or set REDIS_URL to a Redis you run.",
    );
  }
  log("redis-server not found: installing Debian's redis-server package");
  execFileSync("apt-get", ["update", "-q"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-q", "redis-server"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const installed = findRedisServer();
  if (!installed) throw new Error("apt-get installed redis-server but it is not on PATH");
  return installed;
}

export async function startRedis({
  dataDirectory,
  port,
  isPersistent,
  log = () => undefined,
  tls,
}: StartRedisOptions): Promise<RedisHandle> {
  const binary = ensureRedisServerBinary(log);
  await mkdir(dataDirectory, { recursive: true });
  const args = [
    ...(tls
      ? [
          "--port",
          "0",
          "--tls-port",
          String(port),
          "--tls-cert-file",
          tls.certificateFile,
          "--tls-key-file",
          tls.keyFile,
          "--tls-auth-clients",
          "no",
        ]
      : ["--port", String(port)]),
    "--bind",
    "127.0.0.1",
    "--dir",
    dataDirectory,
    "--save",
    "",
    "--protected-mode",
    "yes",
  ];
  args.push("--appendonly", isPersistent ? "yes" : "no");
  const child: ChildProcess = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => log(chunk.toString().trimEnd()));
  child.stderr?.on("data", (chunk: Buffer) => log(chunk.toString().trimEnd()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitFor(() => isPortOpen(port), {
    timeoutMs: 15_000,
    what: `redis-server on port ${port}`,
  });
  return {
    url: `${tls ? "rediss" : "redis"}://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
