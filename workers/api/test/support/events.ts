/** `GET /v1/ops/events/stats` through the api worker, with an optional token and query. */
import { exports } from "cloudflare:workers";

export const stats = (token?: string, query = "") =>
  exports.default.fetch(`http://api.test/v1/ops/events/stats${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
