/**
 * Starts the platform once for the whole end-to-end run (npm start on free ports, own data folder and Redis, without
 * the big demo catalog), ingests the suite's small catalog, and hands the platform's addresses and generated secrets
 * to the tests through `inject("platform")`.
 */
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { ingestE2eCatalog } from "./support/catalog-fixture";
import { type PlatformInfo, startPlatform } from "./support/platform";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Without the demo catalog and the demo listening history: the suites bring their own (small) data.
  const platform = await startPlatform({ env: { DEMO_CATALOG: "off", DEMO_HISTORY: "off" } });
  try {
    await ingestE2eCatalog(platform.info.env);
  } catch (err) {
    await platform.stop();
    throw err;
  }
  project.provide("platform", platform.info);
  return () => platform.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    platform: PlatformInfo;
  }
}
