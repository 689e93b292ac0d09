/**
 * Redis key names of the ad system, in one place so the origin (publisher, reports) and the ads worker (decisions,
 * beacons) cannot drift apart. `{campaignId}` style hash tags keep a campaign's keys in one slot should the store
 * ever be a cluster.
 */

/** Hash: campaign id -> EdgeCampaign JSON. Written by the origin on every change. */
export const adCampaignsKey = "ads:campaigns";
/** Integer, incremented on every publish. */
export const adCampaignsVersionKey = "ads:campaigns:version";
/** Sorted set: campaign id scored by the version that last changed it (incremental sync for the edge). */
export const adCampaignsLogKey = "ads:campaigns:log";

/** Hash: `spent` (milli), `res` (milli reserved), `d:<day>` (milli spent that UTC day). */
export const adDeliveryKey = (campaignId: string) => `ads:{${campaignId}}:delivery`;
/** Sorted set of open reservations: member `<adServingId>|<milli>`, score = expiry epoch ms. */
export const adReservationsKey = (campaignId: string) => `ads:{${campaignId}}:reservations`;
/** Sorted set per campaign and listener: member adServingId, score = served at (sliding frequency windows). */
export const adFrequencyKey = (campaignId: string, listener: string) => `ads:{${campaignId}}:freq:${listener}`;
/** Hash per campaign and UTC day: served, impression, quartiles, complete, skip, notUsed, error, spend (milli). */
export const adStatsKey = (campaignId: string, day: string) => `ads:{${campaignId}}:stats:${day}`;

/** Hash: what was served under an AdServingId, so beacons can book or release it. */
export const adServeKey = (adServingId: string) => `ads:serve:${adServingId}`;
/** Set-if-absent marker: this beacon event of this AdServingId was counted. */
export const adBeaconSeenKey = (adServingId: string, event: string) => `ads:seen:${adServingId}:${event}`;

/** When a listener last got an ad break (epoch ms), for "a break every N minutes of listening". */
export const adLastBreakKey = (listener: string) => `ads:last-break:${listener}`;
/** The ad break planned for a playback session, so every reload of its playlists splices the same ads. */
export const adSessionBreakKey = (sessionId: string) => `ads:session-break:${sessionId}`;
