/**
 * Redis key names shared by the origin (which writes) and the workers (which read), in one place so the two sides
 * cannot drift apart.
 */
export const revokedFamilyKey = (family: string) => `auth:revoked-family:${family}`;
