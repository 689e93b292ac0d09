/**
 * What every offline route checks first: which tiers may download, and the shape of device and track ids in paths.
 */
import type { Tier } from "@cadence/shared/auth/claims";
import { problems } from "@cadence/shared/problem";

export const OFFLINE_TIERS: readonly Tier[] = ["premium", "hifi"];

const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const TRACK = /^[A-Za-z0-9._:-]{1,128}$/;

export function offlineDevice(value: string | undefined): string {
  if (!value || !ID.test(value))
    throw problems.badRequest("The device id in the path must be 1-64 of `A-Za-z0-9._:-`.");
  return value;
}

export function offlineTrackId(value: string | undefined): string {
  if (!value || !TRACK.test(value)) throw problems.badRequest("The track id in the path is not a valid id.");
  return value;
}
