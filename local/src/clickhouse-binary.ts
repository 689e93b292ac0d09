/**
 * Finds `clickhouse-server`: on PATH, or Debian's /usr/sbin one (not on a normal user's PATH). Dependency-free, so
 * the root vitest config can ask whether to add the ClickHouse projects.
 */
import { spawnSync } from "node:child_process";

export function clickhouseServerBinary(): string | undefined {
  for (const candidate of ["clickhouse-server", "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"]) {
    const probe = spawnSync(candidate, ["--help"], { stdio: "ignore" });
    if (!probe.error) return candidate;
  }
  return undefined;
}

export function clickhouseInstalled(): boolean {
  return clickhouseServerBinary() !== undefined;
}
