/**
 * The committed worker configs deploy as they are, in production mode: `wrangler deploy --dry-run` bundles each, and
 * the vars it would upload enable no development override and point at no local address. `npm run deploy` checks the
 * deploy-time settings before uploading anything and deploys in service-binding order.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { DEPLOYMENT, deployOrder, devOverridesEnabled, type WorkerName } from "@cadence/shared/config/deployment";
import { afterAll, describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { deployPlan } from "./deploy/plan";

const root = resolve(import.meta.dirname, "..");
const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), "cadence-deploy-test-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const PRODUCTION_ENV = {
  ORIGIN_URL: "https://origin.cadence.example",
  JWKS_URL: "https://origin.cadence.example/.well-known/jwks.json",
  AUTH_ISSUER: "https://origin.cadence.example",
  UPSTASH_REDIS_REST_URL: "https://edge-state.upstash.io",
  CLOUDFRONT_BASE_URL: "https://d111111abcdef8.cloudfront.net",
  AKAMAI_BASE_URL: "https://media.cadence.example",
};

/** `env.NAME ("value")` lines of wrangler's bindings table. */
function uploadedVars(output: string): Record<string, string> {
  return Object.fromEntries(
    [...output.matchAll(/env\.([A-Z0-9_]+) \("([^"]*)"\)\s+Environment Variable/g)].map((m) => [m[1], m[2]]),
  );
}

describe("the committed worker configs, deployed as they are", () => {
  for (const worker of Object.keys(DEPLOYMENT) as WorkerName[]) {
    it(`${worker}: bundles with --dry-run in production mode, with no development override and no local address`, async () => {
      const { stdout } = await run(
        join(root, "node_modules", ".bin", "wrangler"),
        ["deploy", "--dry-run", "-c", DEPLOYMENT[worker].config, "--outdir", join(out, worker)],
        { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false" }, maxBuffer: 16 * 1024 * 1024 },
      );
      expect(stdout).toContain("--dry-run: exiting now.");
      const vars = uploadedVars(stdout);
      if (worker !== "front-door") expect(vars.ENVIRONMENT).toBe("production");
      expect(devOverridesEnabled(vars)).toBe(false);
      expect(vars.CDN_STAND_IN_URLS ?? "").toBe("");
      for (const [name, value] of Object.entries(vars)) {
        expect(value, name).not.toMatch(/127\.0\.0\.1|localhost|development/);
      }
    });
  }

  it("declare exactly the service bindings and queues the deploy manifest orders by", () => {
    for (const worker of deployOrder()) {
      const config = unstable_readConfig({ config: resolve(root, DEPLOYMENT[worker].config) });
      const bound = config.services?.map((s: { service: string }) => s.service) ?? [];
      expect(bound.sort()).toEqual(DEPLOYMENT[worker].boundTo.map((w) => DEPLOYMENT[w].script).sort());
      const queues = [
        ...(config.queues.producers ?? []).map((q: { queue: string }) => q.queue),
        ...(config.queues.consumers ?? []).map((q: { queue: string }) => q.queue),
      ];
      expect([...new Set(queues)].sort()).toEqual([...DEPLOYMENT[worker].queues].sort());
    }
  });
});

describe("npm run deploy", () => {
  const committedVars = (worker: WorkerName) =>
    unstable_readConfig({ config: resolve(root, DEPLOYMENT[worker].config) }).vars;

  it("refuses to deploy anything while a setting is missing or not https, one sentence each", () => {
    const plan = deployPlan(
      { ...PRODUCTION_ENV, ORIGIN_URL: undefined, AKAMAI_BASE_URL: "http://127.0.0.1:8092" },
      committedVars,
    );
    expect(plan.problems).toEqual([
      "ORIGIN_URL is not set; export it before deploying (docs/operations.md).",
      'AKAMAI_BASE_URL="http://127.0.0.1:8092" must be an https URL in production.',
    ]);
  });

  it("bundles every worker in service-binding order with the deploy-time settings (--dry-run)", async () => {
    const plan = deployPlan(PRODUCTION_ENV, committedVars);
    expect(plan.problems).toEqual([]);
    expect(plan.steps.find((s) => s.worker === "playback")?.vars.CLOUDFRONT_BASE_URL).toBe(
      PRODUCTION_ENV.CLOUDFRONT_BASE_URL,
    );
    const { stdout } = await run(join(root, "node_modules", ".bin", "tsx"), ["scripts/deploy.ts", "--dry-run"], {
      cwd: root,
      env: { ...process.env, ...PRODUCTION_ENV, WRANGLER_SEND_METRICS: "false" },
      maxBuffer: 32 * 1024 * 1024,
    });
    const order = [...stdout.matchAll(/^bundling (\S+)/gm)].map((m) => m[1]);
    expect(order).toEqual(deployOrder().map((w) => DEPLOYMENT[w].script));
    expect(stdout).toContain("Dry run: every worker bundled, nothing uploaded.");
  });

  it("stops with the missing settings named when run without them", async () => {
    const env = { ...process.env, WRANGLER_SEND_METRICS: "false" } as Record<string, string | undefined>;
    for (const name of Object.keys(PRODUCTION_ENV)) delete env[name];
    const failure = await run(join(root, "node_modules", ".bin", "tsx"), ["scripts/deploy.ts", "--dry-run"], {
      cwd: root,
      env,
    }).then(
      () => undefined,
      (err: { stderr: string; code: number }) => err,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain("Nothing was deployed.");
    expect(failure?.stderr).toContain("UPSTASH_REDIS_REST_URL is not set");
  });
});
