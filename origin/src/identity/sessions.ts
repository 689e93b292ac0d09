/**
 * Access and refresh tokens. An access token is a short-lived ES256 JWT the edge verifies alone; a refresh token is
 * an opaque random string (stored only as its SHA-256) that rotates on every use. Presenting a rotated refresh token
 * again means it leaked: the whole family is revoked, in the database and in edge state so the family's access
 * tokens stop working at the edge too.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { AccessClaims, Tier } from "@cadence/shared/auth/claims";
import { revokedFamilyKey } from "@cadence/shared/keys";
import { Problem } from "@cadence/shared/problem";
import type { Redis } from "@upstash/redis";
import { and, eq, isNull } from "drizzle-orm";
import { SignJWT } from "jose";
import type { OriginConfig } from "../config";
import type { Database } from "../db/client";
import { accounts, refreshFamilies, refreshTokens } from "../db/schema";
import { type KeyStore, SIGNING_ALG } from "./keystore";

export interface TokenPair {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

type Account = typeof accounts.$inferSelect;

export class SessionService {
  constructor(
    private readonly db: Database,
    private readonly keys: KeyStore,
    private readonly redis: Redis,
    private readonly config: Pick<
      OriginConfig,
      "AUTH_ISSUER" | "AUTH_AUDIENCE" | "ACCESS_TOKEN_TTL_SECONDS" | "REFRESH_TOKEN_TTL_SECONDS"
    >,
  ) {}

  /** Starts a new refresh family for a freshly authenticated account. */
  async start(account: Account): Promise<TokenPair> {
    const familyId = randomUUID();
    await this.db.insert(refreshFamilies).values({ id: familyId, accountId: account.id });
    return this.issue(account, familyId);
  }

  async refresh(refreshToken: string, now = Date.now()): Promise<TokenPair> {
    const row = await this.db.query.refreshTokens.findFirst({
      where: eq(refreshTokens.tokenHash, sha256(refreshToken)),
    });
    if (!row) throw invalidRefresh("The refresh token is not known.");
    const family = await this.db.query.refreshFamilies.findFirst({ where: eq(refreshFamilies.id, row.familyId) });
    if (!family || family.revokedAt) throw invalidRefresh("This session was signed out; log in again.");
    if (row.rotatedAt) {
      await this.revokeFamily(row.familyId, "refresh-token-reuse", now);
      throw invalidRefresh("This refresh token was already used; the session has been revoked. Log in again.");
    }
    if (row.expiresAt <= now) throw invalidRefresh("The refresh token has expired; log in again.");
    // Claim the token atomically: if two refreshes race, only one sees rotated_at still null.
    const claimed = await this.db
      .update(refreshTokens)
      .set({ rotatedAt: now })
      .where(and(eq(refreshTokens.tokenHash, row.tokenHash), isNull(refreshTokens.rotatedAt)))
      .returning({ hash: refreshTokens.tokenHash });
    if (claimed.length === 0) {
      await this.revokeFamily(row.familyId, "refresh-token-reuse", now);
      throw invalidRefresh("This refresh token was already used; the session has been revoked. Log in again.");
    }
    const account = await this.db.query.accounts.findFirst({ where: eq(accounts.id, family.accountId) });
    if (!account) throw invalidRefresh("The account no longer exists.");
    return this.issue(account, family.id);
  }

  /** Logout: the refresh token's family ends, and its access tokens are refused at the edge. */
  async logout(refreshToken: string): Promise<void> {
    const row = await this.db.query.refreshTokens.findFirst({
      where: eq(refreshTokens.tokenHash, sha256(refreshToken)),
    });
    if (row) await this.revokeFamily(row.familyId, "logout");
  }

  async revokeFamily(familyId: string, reason: string, now = Date.now()): Promise<void> {
    await this.db
      .update(refreshFamilies)
      .set({ revokedAt: now, revokedReason: reason })
      .where(and(eq(refreshFamilies.id, familyId), isNull(refreshFamilies.revokedAt)));
    // Edge state only needs to remember the family as long as one of its access tokens can live.
    await this.redis.set(revokedFamilyKey(familyId), reason, { ex: this.config.ACCESS_TOKEN_TTL_SECONDS + 120 });
  }

  async mintAccessToken(account: Account, familyId: string, now = Date.now()): Promise<string> {
    const { kid, key } = await this.keys.current();
    const iat = Math.floor(now / 1000);
    const claims: Omit<AccessClaims, "iss" | "aud" | "sub" | "exp" | "iat" | "jti"> = {
      tier: account.tier as Tier,
      country: account.country,
      scope: account.scopes,
      fam: familyId,
      email: account.email,
    };
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: "at+jwt" })
      .setIssuer(this.config.AUTH_ISSUER)
      .setAudience(this.config.AUTH_AUDIENCE)
      .setSubject(account.id)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.config.ACCESS_TOKEN_TTL_SECONDS)
      .setJti(randomUUID())
      .sign(key);
  }

  private async issue(account: Account, familyId: string): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString("base64url");
    await this.db.insert(refreshTokens).values({
      tokenHash: sha256(refreshToken),
      familyId,
      expiresAt: Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000,
    });
    return {
      access_token: await this.mintAccessToken(account, familyId),
      token_type: "Bearer",
      expires_in: this.config.ACCESS_TOKEN_TTL_SECONDS,
      refresh_token: refreshToken,
      refresh_expires_in: this.config.REFRESH_TOKEN_TTL_SECONDS,
    };
  }
}

function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function invalidRefresh(detail: string): Problem {
  return new Problem("refresh-token-invalid", detail);
}
