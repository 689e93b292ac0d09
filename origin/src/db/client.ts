/**
 * Opens the libSQL database (a file by default, a server or Turso by URL) and applies pending migrations.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import * as schema from "./schema";

export type Database = LibSQLDatabase<typeof schema>;

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");

export async function openDatabase(url: string, authToken?: string): Promise<{ db: Database; close(): void }> {
  if (url.startsWith("file:")) mkdirSync(dirname(url.slice("file:".length)), { recursive: true });
  // `timeout` is the busy timeout of every pooled connection (the PRAGMA below reaches only the first one).
  const client = createClient({ url, authToken, timeout: 5000 });
  if (url.startsWith("file:")) {
    // WAL lets readers proceed while an ingest transaction writes; busy_timeout rides out short lock waits.
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA busy_timeout = 5000");
    await client.execute("PRAGMA foreign_keys = ON");
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  return { db, close: () => client.close() };
}
