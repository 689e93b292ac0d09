// Completes package-lock.json with the other platforms' optional binaries (biome, workerd) that the npm registry
// mirror on these machines does not carry, so `npm ci` accepts the lock. Those entries are never installed here
// (their os/cpu do not match); on a full registry npm writes the same entries itself. Run after `npm install`.
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const platformOf = (name) => {
  const os = /darwin/.test(name)
    ? "darwin"
    : /win32|windows/.test(name)
      ? "win32"
      : /android/.test(name)
        ? "android"
        : /linux/.test(name)
          ? "linux"
          : null;
  const cpu = /arm64/.test(name) ? "arm64" : /x64|-64$/.test(name) ? "x64" : null;
  return os && cpu ? { os, cpu, musl: /musl/.test(name) } : null;
};
let added = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const at = `${key ? `${key}/` : ""}node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (lock.packages[at]) continue;
    const hoistedEntry = lock.packages[hoisted];
    if (hoistedEntry && hoistedEntry.version === version) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    lock.packages[hoistedEntry ? at : hoisted] = {
      version,
      ...(pkg.dev ? { dev: true } : {}),
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
      ...(platform.musl ? { libc: ["musl"] } : {}),
      license: pkg.license,
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
