/**
 * Identity endpoints: login, refresh, logout and the public JWKS. The api worker forwards `/v1/auth/*` here with the
 * client's IP in `x-client-ip` (trusted only with the service token), which the per-IP login throttle uses.
 */
import { readJson } from "@cadence/shared/http";
import { Problem, problems } from "@cadence/shared/problem";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { OriginEnv } from "../context";
import type { Database } from "../db/client";
import { accounts } from "../db/schema";
import type { KeyStore } from "./keystore";
import type { LoginThrottle } from "./login-throttle";
import { decoyHash, verifyPassword } from "./passwords";
import type { SessionService } from "./sessions";

const loginBody = z.object({
  email: z.string().trim().toLowerCase().email("must be an email address").max(254),
  password: z.string().min(1, "is required").max(1024),
});
const refreshBody = z.object({ refresh_token: z.string().min(20, "is required").max(200) });

export interface IdentityDeps {
  db: Database;
  keys: KeyStore;
  sessions: SessionService;
  throttle: LoginThrottle;
}

export function identityRoutes({ db, keys, sessions, throttle }: IdentityDeps): Hono<OriginEnv> {
  const app = new Hono<OriginEnv>();

  app.get("/.well-known/jwks.json", (c) => {
    c.header("cache-control", "public, max-age=300");
    return c.json(keys.jwks());
  });

  app.post("/v1/auth/login", async (c) => {
    const { email, password } = await readJson(c, loginBody);
    const ip = c.var.clientIp;
    const gate = await throttle.check(email, ip);
    if (!gate.allowed) {
      throw problems.tooMany(
        gate.reason === "account"
          ? "Too many failed logins for this account; wait before trying again."
          : "Too many failed logins from this address; wait before trying again.",
        gate.retryAfterSeconds,
      );
    }
    const account = await db.query.accounts.findFirst({ where: eq(accounts.email, email) });
    const ok = await verifyPassword(password, account?.passwordHash ?? (await decoyHash()));
    if (!account || !ok) {
      await throttle.recordFailure(email, ip);
      throw new Problem("invalid-credentials", "The email or password is wrong.");
    }
    await throttle.recordSuccess(email);
    c.header("cache-control", "no-store");
    return c.json(await sessions.start(account));
  });

  app.post("/v1/auth/refresh", async (c) => {
    const { refresh_token } = await readJson(c, refreshBody);
    c.header("cache-control", "no-store");
    return c.json(await sessions.refresh(refresh_token));
  });

  app.post("/v1/auth/logout", async (c) => {
    const { refresh_token } = await readJson(c, refreshBody);
    await sessions.logout(refresh_token);
    return c.body(null, 204);
  });

  return app;
}
