/**
 * The origin's relational schema (drizzle-orm on libSQL), one file per capability. Migrations are generated from
 * this module by drizzle-kit (`npm run db:generate -w origin`) into `origin/drizzle/` and applied at start-up.
 *
 * The tables sit at the bottom of the origin's layers (see app.ts): every capability reads and writes them through
 * `Database`, and nothing here imports a capability.
 */
export * from "./ads";
export * from "./audit";
export * from "./catalog";
export * from "./drm";
export * from "./events";
export * from "./fraud";
export * from "./identity";
export * from "./lifecycle";
