/**
 * A real two-shard ClickHouse cluster for local runs and tests: two `clickhouse-server` processes on free local ports,
 * each with its own config, data and log folders, and one `remote_servers` entry (`cadence`) naming both as shards,
 * so `Distributed` tables really spread rows across two servers. Works with Debian's `clickhouse-server` (18.16) and
 * current releases. Without Keeper there is no ON CLUSTER DDL; the origin creates local tables node by node
 * (`CLICKHOUSE_SHARD_URLS`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { clickhouseServerBinary } from "./clickhouse-binary";
import { freePort } from "./redis-server";

export const CLICKHOUSE_INSTALL_HINT =
  "`clickhouse-server` is not installed. Install it (Debian/Ubuntu: `sudo apt-get install clickhouse-server`) or point WAREHOUSE=clickhouse at a running cluster with CLICKHOUSE_URL.";

export interface LocalClickHouseCluster {
  /** The first node's HTTP URL: what CLICKHOUSE_URL points at. */
  url: string;
  shardUrls: string[];
  cluster: string;
  /** The origin's env for this cluster. */
  env: Record<string, string>;
  /** SIGTERM (default) lets the servers shut down cleanly, which takes ClickHouse about 8 s; SIGKILL is a crash. */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts the stopped servers again on the same ports and data (to test an outage and its recovery). */
  restart(): Promise<void>;
}

const CLUSTER = "cadence";

export async function startClickHouseCluster(dir: string, shards = 2): Promise<LocalClickHouseCluster> {
  const binary = clickhouseServerBinary();
  if (!binary) throw new Error(CLICKHOUSE_INSTALL_HINT);
  const root = resolve(dir);
  const nodes: Array<{ http: number; tcp: number; dir: string }> = [];
  for (let i = 0; i < shards; i++) {
    nodes.push({ http: await freePort(), tcp: await freePort(), dir: join(root, `shard-${i + 1}`) });
  }
  const users = join(root, "users.xml");
  mkdirSync(root, { recursive: true });
  writeFileSync(users, usersXml());
  const remote = nodes
    .map((n) => `<shard><replica><host>127.0.0.1</host><port>${n.tcp}</port></replica></shard>`)
    .join("");
  const children: ChildProcess[] = [];
  const urls = nodes.map((n) => `http://127.0.0.1:${n.http}`);
  const stop = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
    await Promise.all(
      children.splice(0).map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill(signal);
            setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
          }),
      ),
    );
  };
  const start = async () => {
    for (const node of nodes) {
      for (const sub of ["data", "tmp", "log", "user_files", "format_schemas"]) {
        mkdirSync(join(node.dir, sub), { recursive: true });
      }
      const config = join(node.dir, "config.xml");
      writeFileSync(config, configXml(node, users, remote));
      children.push(spawn(binary, [`--config-file=${config}`], { stdio: "ignore", cwd: node.dir }));
    }
    const deadline = Date.now() + 30_000;
    for (const [i, url] of urls.entries()) {
      while (!(await answers(url))) {
        const child = children[i] as ChildProcess;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`clickhouse-server did not start on ${url}; see ${join(nodes[i]?.dir ?? root, "log")}.`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  try {
    await start();
  } catch (err) {
    await stop("SIGKILL");
    throw err;
  }
  const url = urls[0] as string;
  return {
    url,
    shardUrls: urls,
    cluster: CLUSTER,
    env: {
      WAREHOUSE: "clickhouse",
      CLICKHOUSE_URL: url,
      CLICKHOUSE_CLUSTER: CLUSTER,
      CLICKHOUSE_SHARD_URLS: urls.join(","),
    },
    stop,
    restart: async () => {
      await stop("SIGKILL");
      await start();
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(500) });
    return res.ok;
  } catch {
    return false;
  }
}

function configXml(node: { http: number; tcp: number; dir: string }, users: string, remote: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${node.dir}/log/server.log</log><errorlog>${node.dir}/log/error.log</errorlog><size>10M</size><count>2</count></logger>
  <http_port>${node.http}</http_port>
  <tcp_port>${node.tcp}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${node.dir}/data/</path>
  <tmp_path>${node.dir}/tmp/</tmp_path>
  <user_files_path>${node.dir}/user_files/</user_files_path>
  <format_schema_path>${node.dir}/format_schemas/</format_schema_path>
  <users_config>${users}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <remote_servers><${CLUSTER}>${remote}</${CLUSTER}></remote_servers>
</yandex>
`;
}

function usersXml(): string {
  return `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}

/**
 * For `npm start`: with `WAREHOUSE=clickhouse` and no `CLICKHOUSE_URL`, the local two-shard cluster in
 * `<dataDir>/clickhouse` (kept between starts); otherwise nothing to start.
 */
export async function localWarehouse(
  dataDir: string,
  env: Record<string, string | undefined>,
): Promise<{ env: Record<string, string>; describe: string; stop(): Promise<void> }> {
  if (env.WAREHOUSE !== "clickhouse") {
    return { env: {}, describe: "DuckDB (embedded, <data>/warehouse.duckdb)", stop: async () => {} };
  }
  if (env.CLICKHOUSE_URL) return { env: {}, describe: `ClickHouse at ${env.CLICKHOUSE_URL}`, stop: async () => {} };
  const cluster = await startClickHouseCluster(join(dataDir, "clickhouse"));
  return {
    env: cluster.env,
    describe: `ClickHouse, local two-shard cluster (${cluster.shardUrls.join(", ")})`,
    stop: () => cluster.stop(),
  };
}
