/**
 * The signed-in account of one page: logs in through the api worker (which forwards to the origin), keeps the token
 * pair in sessionStorage (per tab, gone when the tab closes; each console keeps its own key so an ops login does not
 * leak into the player), refreshes the access token a minute before it expires or after a 401, and asks `/v1/me`
 * who it is, so the page shows what the server verified rather than what it decoded.
 */
import { ApiError, jsonBody, networkError, problemOf, requestJson } from "./api";

export interface Me {
  sub: string;
  tier: "free" | "premium" | "hifi";
  country: string;
  scope: string;
  email?: string;
  exp: number;
}

interface TokenPair {
  access_token: string;
  refresh_token: string;
  /** Epoch ms the access token expires. */
  expires_at: number;
}

interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

const REFRESH_MARGIN_MS = 60_000;

export function scopesOf(me: Pick<Me, "scope">): string[] {
  return me.scope.split(" ").filter(Boolean);
}

export class AuthSession {
  private tokens: TokenPair | null;
  private refreshing: Promise<void> | null = null;
  private listeners: Array<(me: Me | null) => void> = [];
  me: Me | null = null;

  constructor(
    private readonly storageKey: string,
    private readonly apiBase = "",
  ) {
    this.tokens = readTokens(storageKey);
  }

  /** Restores the session of this tab, if any; resolves to who is signed in. */
  async restore(): Promise<Me | null> {
    if (!this.tokens) return null;
    try {
      this.me = await this.json<Me>("/v1/me");
    } catch {
      this.clear();
    }
    this.emit();
    return this.me;
  }

  async login(email: string, password: string): Promise<Me> {
    const answer = await requestJson<TokenAnswer>(`${this.apiBase}/v1/auth/login`, {
      method: "POST",
      ...jsonBody({ email, password }),
    });
    this.store(answer);
    this.me = await this.json<Me>("/v1/me");
    this.emit();
    return this.me;
  }

  async logout(): Promise<void> {
    const refresh = this.tokens?.refresh_token;
    this.clear();
    this.emit();
    if (refresh) {
      await fetch(`${this.apiBase}/v1/auth/logout`, { method: "POST", ...jsonBody({ refresh_token: refresh }) }).catch(
        () => undefined,
      );
    }
  }

  onChange(listener: (me: Me | null) => void): void {
    this.listeners.push(listener);
  }

  /** A valid access token, refreshed first if it expires within a minute. */
  async accessToken(): Promise<string> {
    if (!this.tokens) throw notSignedIn();
    if (this.tokens.expires_at - Date.now() < REFRESH_MARGIN_MS) await this.refresh();
    if (!this.tokens) throw notSignedIn();
    return this.tokens.access_token;
  }

  /** fetch() with the bearer token; a 401 triggers one refresh and one retry. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const send = async () => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${await this.accessToken()}`);
      try {
        return await fetch(url.startsWith("/") ? `${this.apiBase}${url}` : url, { ...init, headers });
      } catch (err) {
        throw networkError(err);
      }
    };
    let res = await send();
    if (res.status === 401 && this.tokens) {
      await this.refresh();
      res = await send();
    }
    return res;
  }

  /** Authenticated JSON request; throws ApiError on failure. */
  async json<T>(url: string, init: RequestInit = {}): Promise<T> {
    const res = await this.fetch(url, init);
    if (!res.ok) throw await problemOf(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  private async refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = (async () => {
        const refresh = this.tokens?.refresh_token;
        if (!refresh) throw notSignedIn();
        try {
          const answer = await requestJson<TokenAnswer>(`${this.apiBase}/v1/auth/refresh`, {
            method: "POST",
            ...jsonBody({ refresh_token: refresh }),
          });
          this.store(answer);
        } catch (err) {
          // A refused refresh token (rotated, revoked, expired) ends the session; a network error does not.
          if (err instanceof ApiError && !err.retryable) {
            this.clear();
            this.emit();
          }
          throw err;
        }
      })().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private store(answer: TokenAnswer): void {
    this.tokens = {
      access_token: answer.access_token,
      refresh_token: answer.refresh_token,
      expires_at: Date.now() + answer.expires_in * 1000,
    };
    sessionStorage.setItem(this.storageKey, JSON.stringify(this.tokens));
  }

  private clear(): void {
    this.tokens = null;
    this.me = null;
    sessionStorage.removeItem(this.storageKey);
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.me);
  }
}

function readTokens(key: string): TokenPair | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as TokenPair) : null;
  } catch {
    return null;
  }
}

function notSignedIn(): ApiError {
  return new ApiError({ status: 401, code: "not-signed-in", title: "Unauthorized", detail: "Sign in first." });
}
