/**
 * Redis key names shared by the origin (which writes) and the workers (which read), in one place so the two sides
 * cannot drift apart.
 */
export const revokedFamilyKey = (family: string) => `auth:revoked-family:${family}`;

/**
 * The generation marker of edge state: written by the origin after it published everything the edge needs. Its
 * absence means Redis lost or never had the origin's state (restarted empty, flushed, a new database), and the origin
 * publishes it all again (origin/src/edge-sync/).
 */
export const EDGE_STATE_MARKER_KEY = "edge:state-generation";
