// Known differences between the reference Redis 7.0.15 and the Redis 7.2
// Spinel implements (see shared/REDIS-7.2-DELTAS.md). Each entry rewrites the
// 7.0 reply into what 7.2 answers, for the commands it concerns only.

export interface KnownDelta {
  /** What 7.2 does differently. */
  rule: string;
  applies(argv: string[], reply70: string): boolean;
  rewrite(argv: string[], reply70: string): string;
}

export const KNOWN_DELTAS: KnownDelta[] = [];
