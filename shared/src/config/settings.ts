/**
 * Typed settings parsing for every worker and the origin: one reader per kind of value, each naming the variable and
 * what it must be when the value is wrong. A worker parses its env once per isolate (cache the result); a missing
 * value takes its documented default, a wrong one is never silently replaced by a default.
 */

export class SettingError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = "SettingError";
  }
}

type Raw = string | undefined | null;

function present(value: Raw): value is string {
  return value !== undefined && value !== null && value.trim() !== "";
}

/** An integer within [min, max]; `fallback` when unset. */
export function intSetting(
  name: string,
  value: Raw,
  options: { fallback?: number; min?: number; max?: number } = {},
): number {
  const { fallback, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  if (!present(value)) {
    if (fallback === undefined) throw new SettingError(name, `${name} is not set; set it to a whole number.`);
    return fallback;
  }
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SettingError(name, `${name}="${value}" must be a whole number from ${min} to ${max}.`);
  }
  return n;
}

/** A finite number within [min, max]; `fallback` when unset. */
export function numberSetting(
  name: string,
  value: Raw,
  options: { fallback?: number; min?: number; max?: number } = {},
): number {
  const { fallback, min = -Number.MAX_VALUE, max = Number.MAX_VALUE } = options;
  if (!present(value)) {
    if (fallback === undefined) throw new SettingError(name, `${name} is not set; set it to a number.`);
    return fallback;
  }
  const n = Number(value.trim());
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new SettingError(name, `${name}="${value}" must be a number from ${min} to ${max}.`);
  }
  return n;
}

/** `true` or `false` (also 1/0, yes/no); `fallback` when unset. */
export function boolSetting(name: string, value: Raw, fallback: boolean): boolean {
  if (!present(value)) return fallback;
  const v = value.trim().toLowerCase();
  if (v === "true" || v === "1" || v === "yes") return true;
  if (v === "false" || v === "0" || v === "no") return false;
  throw new SettingError(name, `${name}="${value}" must be true or false.`);
}

/** One of a closed set of values; `fallback` when unset. */
export function enumSetting<const T extends string>(name: string, value: Raw, allowed: readonly T[], fallback?: T): T {
  if (!present(value)) {
    if (fallback === undefined) throw new SettingError(name, `${name} is not set; use one of ${allowed.join(", ")}.`);
    return fallback;
  }
  const v = value.trim();
  if (!(allowed as readonly string[]).includes(v)) {
    throw new SettingError(name, `${name}="${value}" must be one of ${allowed.join(", ")}.`);
  }
  return v as T;
}

/** An absolute http(s) URL without a trailing slash. */
export function urlSetting(name: string, value: Raw, fallback?: string): string {
  const v = present(value) ? value.trim() : fallback;
  if (!v || !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(v)) {
    throw new SettingError(name, `${name}="${value ?? ""}" must be an absolute http(s) URL.`);
  }
  return v.replace(/\/+$/, "");
}

/** A comma-separated list; each item checked by `item` (which throws or returns the parsed value). */
export function listSetting<T>(name: string, value: Raw, item: (part: string) => T | undefined, fallback?: T[]): T[] {
  if (!present(value)) {
    if (fallback === undefined) throw new SettingError(name, `${name} is not set; give a comma-separated list.`);
    return fallback;
  }
  return value.split(",").map((raw) => {
    const part = raw.trim();
    const parsed = item(part);
    if (parsed === undefined) throw new SettingError(name, `${name}: "${part}" is not an allowed value.`);
    return parsed;
  });
}

/** A string that must be set (a secret or an id). */
export function requiredSetting(name: string, value: Raw, minLength = 1): string {
  if (!present(value) || value.length < minLength) {
    throw new SettingError(name, `${name} must be set${minLength > 1 ? ` (at least ${minLength} characters)` : ""}.`);
  }
  return value;
}

/**
 * Parses a settings object once per env object (workers get the same env object for an isolate's lifetime).
 * A SettingError propagates; callers turn it into their 5xx (our mistake, not the caller's) with the message logged.
 */
export function settingsCache<E extends object, S>(parse: (env: E) => S): (env: E) => S {
  const cache = new WeakMap<E, S>();
  return (env) => {
    let settings = cache.get(env);
    if (!settings) {
      settings = parse(env);
      cache.set(env, settings);
    }
    return settings;
  };
}
