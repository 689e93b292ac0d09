/**
 * The demo catalog `npm start` ingests on first run: 3 labels, 10 releases, 40 tracks of 20-40 s, delivered as ERN
 * 4.3 messages like a distributor would send them. Most tracks are licensed worldwide for every tier (so the demo
 * accounts, free US / premium DE / hifi GB, can play them); five small releases exercise the rules instead: a
 * territory list, a worldwide-except-DE deal, subscription-only, ad-supported-only, a release 30 days in the future,
 * and a release taken down by a PurgeReleaseMessage. A few names are recognisable on purpose, so the README's
 * fuzzy-search examples ("beyonse", "teh beatles", "bohemian rhap") have something to find.
 */
import { gs1CheckDigit, iswcCheckDigit } from "../ddex/identifiers";
import type { DealSpec, ReleaseSpec } from "./delivery-builder";

const SENDER = "Cadence Demo Distribution";
const LABELS = { lumen: "Lumen Music Group", northbound: "Northbound Records", tidewater: "Tidewater Sound" };

const icpn = (n: number) => {
  const body = `200000000${String(n).padStart(3, "0")}`;
  return `${body}${gs1CheckDigit(body)}`;
};
const iswc = (n: number) => {
  const digits = String(900000000 + n);
  return `T-${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6)}-${iswcCheckDigit(digits)}`;
};
const isrc = (n: number) => `QZCAD26${String(n).padStart(5, "0")}`;

const EVERYONE: DealSpec[] = [{ models: ["SubscriptionModel", "AdvertisementSupportedModel"] }];

interface ReleasePlan {
  title: string;
  artist: string;
  label: keyof typeof LABELS;
  genre: string;
  type: "Album" | "EP" | "Single";
  tracks: string[];
  deals: (now: Date) => DealSpec[];
  /** Taken down after delivery by a PurgeReleaseMessage. */
  purged?: boolean;
}

const PLANS: ReleasePlan[] = [
  {
    title: "Halo: The Synth Sessions",
    artist: "Beyoncé Tribute Ensemble",
    label: "lumen",
    genre: "Pop",
    type: "Album",
    tracks: ["Halo", "Crazy in Love", "Single Ladies", "Formation", "Drunk in Love", "Irreplaceable"],
    deals: () => EVERYONE,
  },
  {
    title: "Abbey Road Revisited",
    artist: "The Beatles Revival Band",
    label: "northbound",
    genre: "Rock",
    type: "Album",
    tracks: ["Come Together", "Something", "Here Comes the Sun", "Let It Be", "Yesterday", "Hey Jude"],
    deals: () => EVERYONE,
  },
  {
    title: "Bohemian Rhapsody and Other Epics",
    artist: "Queen Rhapsody Orchestra",
    label: "northbound",
    genre: "Rock",
    type: "Album",
    tracks: [
      "Bohemian Rhapsody",
      "Don't Stop Me Now",
      "Somebody to Love",
      "Under Pressure",
      "Radio Ga Ga",
      "Killer Queen",
    ],
    deals: () => EVERYONE,
  },
  {
    title: "Northern Lights",
    artist: "Aurora Fields",
    label: "tidewater",
    genre: "Ambient",
    type: "Album",
    tracks: ["First Light", "Polar Drift", "Snowblind", "Magnetic North", "Long Night", "Solar Wind"],
    deals: () => EVERYONE,
  },
  {
    title: "Signal Fires",
    artist: "Kestrel & The Wires",
    label: "lumen",
    genre: "Indie",
    type: "Album",
    tracks: ["Static Bloom", "Copper Lines", "Relay", "Open Channel", "Feedback Loop", "Last Transmission"],
    // A territory list: the demo accounts' countries are in it, Japan (for instance) is not.
    deals: () => [
      {
        territories: ["US", "CA", "GB", "DE", "FR", "NL"],
        models: ["SubscriptionModel", "AdvertisementSupportedModel"],
      },
    ],
  },
  {
    title: "Harbour Songs",
    artist: "Saltwater Choir",
    label: "tidewater",
    genre: "Folk",
    type: "EP",
    tracks: ["Low Tide", "Lighthouse Keeper"],
    deals: () => [{ excluded: ["DE"], models: ["SubscriptionModel", "AdvertisementSupportedModel"] }],
  },
  {
    title: "Afterglow",
    artist: "Neon Parade",
    label: "lumen",
    genre: "Electronic",
    type: "EP",
    tracks: ["Midnight Arcade", "Afterglow"],
    deals: () => [{ models: ["SubscriptionModel"] }],
  },
  {
    title: "Small Hours",
    artist: "Paper Lanterns",
    label: "tidewater",
    genre: "Singer-Songwriter",
    type: "Single",
    tracks: ["Small Hours", "Paper Boats"],
    deals: () => [{ models: ["AdvertisementSupportedModel"] }],
  },
  {
    title: "Coming Soon",
    artist: "Mile High Quartet",
    label: "northbound",
    genre: "Jazz",
    type: "EP",
    tracks: ["Blue Hour", "Late Set"],
    deals: (now) => [
      {
        start: new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
        models: ["SubscriptionModel", "AdvertisementSupportedModel"],
      },
    ],
  },
  {
    title: "Withdrawn",
    artist: "Glass Harbor",
    label: "northbound",
    genre: "Alternative",
    type: "EP",
    tracks: ["Glass Houses", "Undertow"],
    deals: () => EVERYONE,
    purged: true,
  },
];

export interface DemoDelivery {
  spec: ReleaseSpec;
  /** A PurgeReleaseMessage to deliver after the release, when the release is to be taken down. */
  purge?: { messageId: string; createdAt: string; senderName: string; icpn: string; title: string };
}

/** The demo catalog's deliveries, dated relative to `now` (first start), in delivery order. */
export function demoCatalog(now = new Date()): DemoDelivery[] {
  let track = 0;
  const delivered = new Date(now.getTime() - 60_000).toISOString();
  return PLANS.map((plan, r) => {
    const code = icpn(r + 1);
    const spec: ReleaseSpec = {
      messageId: `CADENCE-DEMO-${String(r + 1).padStart(2, "0")}`,
      createdAt: delivered,
      senderName: SENDER,
      icpn: code,
      title: plan.title,
      artist: plan.artist,
      label: LABELS[plan.label],
      genre: plan.genre,
      releaseDate: "2025-09-01",
      releaseType: plan.type,
      tracks: plan.tracks.map((title) => {
        track += 1;
        return { isrc: isrc(track), title, seconds: 20 + ((track * 7) % 21), iswc: iswc(track), seed: track };
      }),
      deals: plan.deals(now),
    };
    const purge = plan.purged
      ? {
          messageId: `CADENCE-DEMO-${String(r + 1).padStart(2, "0")}-PURGE`,
          createdAt: new Date(now.getTime() - 30_000).toISOString(),
          senderName: SENDER,
          icpn: code,
          title: plan.title,
        }
      : undefined;
    return { spec, ...(purge ? { purge } : {}) };
  });
}
