/**
 * The deploy plan: for each worker in service-binding order, the `wrangler deploy` arguments that give it the
 * deploy-time settings (addresses) from the deployer's environment, and the checks a deployment must pass before
 * anything is uploaded (every setting given as an https URL where it is one, every secret put, every queue created).
 * Kept apart from `deploy.ts` (which runs it) so the tests can check the plan without a Cloudflare account.
 */
import { DEPLOYMENT, deployOrder, type WorkerName } from "@cadence/shared/config/deployment";

/** Settings that are addresses: a production deployment gives each as an https URL. */
const URL_SETTINGS = new Set([
  "ORIGIN_URL",
  "JWKS_URL",
  "AUTH_ISSUER",
  "UPSTASH_REDIS_REST_URL",
  "CLOUDFRONT_BASE_URL",
  "AKAMAI_BASE_URL",
]);

export interface WorkerStep {
  worker: WorkerName;
  script: string;
  config: string;
  /** `--var NAME:value` pairs for the settings the committed config leaves to the deployer. */
  vars: Record<string, string>;
  secrets: readonly string[];
  queues: readonly string[];
}

export interface DeployPlan {
  steps: WorkerStep[];
  /** One sentence per setting that is missing or wrong; the deploy stops before uploading anything if any. */
  problems: string[];
}

/**
 * Builds the plan from the deployer's environment. `committedVars` are the vars each committed config already sets
 * (those need no deploy-time value, e.g. AUTH_AUDIENCE).
 */
export function deployPlan(
  env: Record<string, string | undefined>,
  committedVars: (worker: WorkerName) => Record<string, unknown>,
): DeployPlan {
  const problems: string[] = [];
  const reported = new Set<string>();
  const steps = deployOrder().map((worker): WorkerStep => {
    const spec = DEPLOYMENT[worker];
    const vars: Record<string, string> = {};
    for (const name of spec.settings) {
      const committed = committedVars(worker)[name];
      if (typeof committed === "string" && committed.trim() !== "") continue;
      const value = env[name]?.trim();
      if (!value) {
        if (!reported.has(name)) problems.push(`${name} is not set; export it before deploying (docs/operations.md).`);
        reported.add(name);
        continue;
      }
      if (URL_SETTINGS.has(name) && !/^https:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(value)) {
        if (!reported.has(name)) problems.push(`${name}="${value}" must be an https URL in production.`);
        reported.add(name);
        continue;
      }
      vars[name] = value.replace(/\/+$/, "");
    }
    return { worker, script: spec.script, config: spec.config, vars, secrets: spec.secrets, queues: spec.queues };
  });
  return { steps, problems };
}

/** The `wrangler deploy` arguments of one step. */
export function deployArgs(step: WorkerStep, options: { dryRun?: boolean; outdir?: string } = {}): string[] {
  const args = ["deploy", "-c", step.config];
  for (const [name, value] of Object.entries(step.vars)) args.push("--var", `${name}:${value}`);
  if (options.dryRun) args.push("--dry-run");
  if (options.outdir) args.push("--outdir", options.outdir);
  return args;
}
