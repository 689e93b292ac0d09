/**
 * SQL written once for both engines: a `Dialect` says how each engine spells the few things that differ (UTC day of
 * an epoch-ms column, string literals, "any value"), and `bindSql` binds values on the client side as literals,
 * escaped for that engine. Only strings, finite numbers, booleans, null and arrays of those can be bound; anything
 * else is a programming error. Table and column names are never bound: they are ours.
 */

export interface Dialect {
  readonly name: "duckdb" | "clickhouse";
  /** A string literal. */
  string(value: string): string;
  /** `YYYY-MM-DD` (UTC) of an epoch-ms integer expression. */
  day(epochMs: string): string;
  /** Any one value of a column within a group (the rows of one event id are identical). */
  anyValue(expr: string): string;
  /** What goes inside `IN (...)` for a set of ids: thousands of ids must stay cheap to parse. */
  idSet(ids: readonly string[]): string;
}

export const duckdbDialect: Dialect = {
  name: "duckdb",
  // Standard SQL: only the quote is special inside a literal.
  string: (value) => `'${value.replaceAll("'", "''")}'`,
  day: (ms) => `strftime(epoch_ms(${ms}), '%Y-%m-%d')`,
  anyValue: (expr) => `any_value(${expr})`,
  // DuckDB parses one long string far faster than thousands of literals: split it in the query instead.
  idSet: (ids) =>
    ids.some((id) => id.includes(","))
      ? literal(duckdbDialect, ids)
      : `SELECT unnest(string_split(${duckdbDialect.string(ids.join(","))}, ','))`,
};

export const clickhouseDialect: Dialect = {
  name: "clickhouse",
  // ClickHouse reads backslash escapes inside literals, so the backslash is escaped first, then the quote.
  string: (value) => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`,
  day: (ms) => `toString(toDate(toDateTime(intDiv(${ms}, 1000), 'UTC')))`,
  anyValue: (expr) => `any(${expr})`,
  idSet: (ids) => literal(clickhouseDialect, ids),
};

export type SqlValue = string | number | boolean | null | readonly (string | number)[];

/** A literal for one value. */
export function literal(dialect: Dialect, value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`cannot bind ${value} into SQL`);
    return String(value);
  }
  if (typeof value === "string") {
    if (value.includes("\u0000")) throw new TypeError("cannot bind a NUL character into SQL");
    return dialect.string(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new TypeError("cannot bind an empty list (IN () is not valid SQL)");
    return value.map((v) => literal(dialect, v)).join(", ");
  }
  throw new TypeError(`cannot bind a ${typeof value} into SQL`);
}

/** A tagged template: `bindSql(dialect)\`SELECT ... WHERE id IN (${ids})\``. */
export function bindSql(dialect: Dialect) {
  return (strings: TemplateStringsArray, ...values: SqlValue[]): string =>
    strings.reduce(
      (out, part, i) => out + part + (i < values.length ? literal(dialect, values[i] as SqlValue) : ""),
      "",
    );
}
