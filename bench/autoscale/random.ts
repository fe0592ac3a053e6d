// Seeded randomness for the autoscaling simulation: every policy sees the same
// students and the same node boot times for a seed (common random numbers), so
// differences between policies are the policies', not the dice's.

/** mulberry32: a small, fast, seedable generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type Random = () => number;

/** A standard normal draw (Box–Muller). */
export function normal(random: Random): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A lognormal draw given its median and 95th percentile (σ = ln(p95/median) / 1.645). */
export function lognormal(random: Random, median: number, p95: number): number {
  return median * Math.exp((Math.log(p95 / median) / 1.645) * normal(random));
}

export function uniform(random: Random, low: number, high: number): number {
  return low + (high - low) * random();
}

/** A Poisson count with mean `mean` (Knuth for small means, normal approximation above 50). */
export function poisson(random: Random, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random(); product > limit; product *= random()) count += 1;
  return count;
}

/** Binomial(n, p) by counting, fine for the few thousand students of a class. */
export function binomial(random: Random, n: number, p: number): number {
  let count = 0;
  for (let index = 0; index < n; index += 1) if (random() < p) count += 1;
  return count;
}
