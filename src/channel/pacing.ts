/** A token bucket: `rate` tokens a second, holding at most `burst`. */
export class Bucket {
  private tokens: number;
  private at: number;
  constructor(private rate: number, private burst: number, now: number) {
    this.tokens = burst;
    this.at = now;
  }
  private refill(now: number) {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
  }
  available(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  refund(n: number) {
    this.tokens = Math.min(this.burst, this.tokens + n);
  }
  /** Milliseconds until one token is free. */
  wait(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
}

/**
 * Meta's pair rate limit: about one message per 6 s to the same citizen, with bursts allowed.
 * A turn's few replies go at once; a flood to one citizen is spread out instead of hitting 131056.
 */
export class RecipientPacing {
  private buckets = new Map<string, Bucket>();
  constructor(private perSecond = 1 / 6, private burst = 20) {}
  take(waId: string, now: number): number {
    let b = this.buckets.get(waId);
    if (!b) {
      if (this.buckets.size > 100_000) this.prune(now);
      b = new Bucket(this.perSecond, this.burst, now);
      this.buckets.set(waId, b);
    }
    return b.take(now) ? 0 : b.wait(now);
  }
  private prune(now: number) {
    for (const [k, b] of this.buckets) if (b.available(now) >= this.burst) this.buckets.delete(k);
  }
}

/** Exponential backoff with full jitter: a random wait up to base·2^attempt, capped. */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 15 * 60_000): number {
  return Math.round(Math.random() * Math.min(capMs, baseMs * 2 ** attempt));
}
