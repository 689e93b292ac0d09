/**
 * Fault injection for the events landing endpoint, so the no-loss test (and anyone trying the pipeline locally) can
 * make the origin fail for real while batches are in flight: `down` drops the connection without an answer (what the
 * consumer sees when the origin is unreachable or dies mid-request), `error` answers 500. Faults apply to the next N
 * landing calls. Only reachable outside production, with the edge's service token.
 */
export type LandingFaultMode = "down" | "error";

export class LandingFaults {
  private mode: LandingFaultMode | null = null;
  private remaining = 0;

  set(mode: LandingFaultMode | "none", calls: number): void {
    this.mode = mode === "none" ? null : mode;
    this.remaining = mode === "none" ? 0 : calls;
  }

  /** The fault for this call, if one is armed; counts it down. */
  take(): LandingFaultMode | null {
    if (!this.mode || this.remaining <= 0) return null;
    this.remaining -= 1;
    const mode = this.mode;
    if (this.remaining === 0) this.mode = null;
    return mode;
  }

  state(): { mode: LandingFaultMode | "none"; remaining: number } {
    return { mode: this.mode ?? "none", remaining: this.remaining };
  }
}
