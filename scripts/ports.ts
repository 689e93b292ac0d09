/**
 * Where each local part listens. Every value can be overridden by an environment variable of the same name.
 */
export interface LocalPorts {
  HOST: string;
  ORIGIN_PORT: number;
  REDIS_BRIDGE_PORT: number;
  /** The whole edge (front door, api, playback, ingest-events, ads) in one workerd. */
  EDGE_PORT: number;
  /** CDN stand-ins (local/src/cdn): CloudFront and Akamai. */
  CLOUDFRONT_PORT: number;
  AKAMAI_PORT: number;
}

const DEFAULTS: LocalPorts = {
  HOST: "127.0.0.1",
  ORIGIN_PORT: 8080,
  REDIS_BRIDGE_PORT: 8079,
  EDGE_PORT: 8787,
  CLOUDFRONT_PORT: 8091,
  AKAMAI_PORT: 8092,
};

/**
 * `PORT_OFFSET` shifts every default port (two checkouts side by side); a variable per port overrides it.
 */
export function localPorts(env: Record<string, string | undefined> = process.env): LocalPorts {
  const offset = Number(env.PORT_OFFSET ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 50_000)
    throw new Error(`PORT_OFFSET=${env.PORT_OFFSET} is not a whole number.`);
  const out = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as Array<keyof LocalPorts>)
    if (key !== "HOST") out[key] = DEFAULTS[key] + offset;
  for (const key of Object.keys(DEFAULTS) as Array<keyof LocalPorts>) {
    const value = env[key];
    if (value === undefined || value === "") continue;
    if (key === "HOST") out.HOST = value;
    else {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${key}=${value} is not a port number.`);
      out[key] = port;
    }
  }
  return out;
}
