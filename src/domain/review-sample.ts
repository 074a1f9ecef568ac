// The random sample of an access review, reproducible from what the review
// records: the population (request IDs in order), the seed and the size. An
// auditor re-runs selectSample with those three and must get the recorded
// selection; a sample picked by hand would not survive that check.
//
// The generator is spelled out here rather than taken from a library so that
// the algorithm is fixed forever: a library upgrade must never change which
// grants an old seed selects.

/** Seeds are 32 lower-case hex digits (128 bits), written by the review job. */
export const SEED_PATTERN = /^[0-9a-f]{32}$/;

/** Four 32-bit words from the seed's 16 bytes. */
function seedWords(seed: string): [number, number, number, number] {
  if (!SEED_PATTERN.test(seed)) throw new RangeError(`A review seed must be 32 lower-case hex digits, got ${JSON.stringify(seed)}`);
  const word = (i: number) => parseInt(seed.slice(i * 8, i * 8 + 8), 16) >>> 0;
  return [word(0), word(1), word(2), word(3)];
}

/**
 * A deterministic generator of numbers in [0, 1): SFC32 (Chris Doty-Humphrey's
 * Small Fast Counter), 128 bits of state taken from the seed, warmed up by 16
 * rounds so that similar seeds diverge.
 */
export function seededRandom(seed: string): () => number {
  let [a, b, c, d] = seedWords(seed);
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

/**
 * Picks `size` distinct IDs from the population (all of them when it is
 * smaller), in the order drawn, by a partial Fisher-Yates shuffle driven by
 * seededRandom(seed). Same arguments, same answer, on any machine.
 */
export function selectSample(populationIds: readonly string[], seed: string, size: number): string[] {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`The sample size must be a whole number of 0 or more, got ${String(size)}`);
  if (new Set(populationIds).size !== populationIds.length) throw new RangeError('The population lists an ID twice.');
  const random = seededRandom(seed);
  const pool = [...populationIds];
  const count = Math.min(size, pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}
