/**
 * `npm run deploy`: deploys the edge to Cloudflare in service-binding order (a worker bound to one that does not
 * exist yet is refused), after checking everything the deployment needs: the deploy-time settings (addresses, from
 * this shell's environment), every secret of every worker (`wrangler secret list`) and every queue (`wrangler queues
 * list`). Nothing is uploaded if any check fails; each failure is one sentence naming what to set.
 * `npm run deploy -- --dry-run` bundles every worker with its deploy-time settings and uploads nothing.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { WorkerName } from "@cadence/shared/config/deployment";
import { DEPLOYMENT } from "@cadence/shared/config/deployment";
import { unstable_readConfig } from "wrangler";
import { deployArgs, deployPlan } from "./deploy/plan";

const root = resolve(import.meta.dirname, "..");
const wranglerBin = resolve(root, "node_modules", ".bin", "wrangler");
const dryRun = process.argv.includes("--dry-run");

async function wrangler(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(wranglerBin, args, {
    cwd: root,
    maxBuffer: 32 * 1024 * 1024,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  return stdout;
}

function committedVars(worker: WorkerName): Record<string, unknown> {
  return unstable_readConfig({ config: resolve(root, DEPLOYMENT[worker].config) }).vars;
}

async function main(): Promise<void> {
  const plan = deployPlan(process.env, committedVars);
  const problems = [...plan.problems];
  if (!dryRun) {
    for (const step of plan.steps) {
      if (step.secrets.length === 0) continue;
      let names: string[] = [];
      try {
        const listed = JSON.parse(await wrangler(["secret", "list", "--name", step.script, "--format", "json"]));
        names = (listed as Array<{ name: string }>).map((s) => s.name);
      } catch {
        // The script does not exist yet: none of its secrets are put.
      }
      for (const secret of step.secrets) {
        if (!names.includes(secret)) {
          problems.push(
            `${step.script} has no secret ${secret}; run: wrangler secret put ${secret} --name ${step.script}`,
          );
        }
      }
    }
    const queues = await wrangler(["queues", "list"]).catch(() => "");
    for (const queue of new Set(plan.steps.flatMap((s) => s.queues))) {
      if (!queues.includes(queue))
        problems.push(`The queue ${queue} does not exist; run: wrangler queues create ${queue}`);
    }
  }
  if (problems.length > 0) {
    console.error(`Nothing was deployed. Fix these first:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  for (const step of plan.steps) {
    console.log(`${dryRun ? "bundling" : "deploying"} ${step.script} (${step.config})`);
    process.stdout.write(await wrangler(deployArgs(step, { dryRun })));
  }
  console.log(dryRun ? "Dry run: every worker bundled, nothing uploaded." : "Every worker is deployed.");
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
