import assert from 'node:assert/strict';
import { seededRandom, selectSample } from '../../src/domain/review-sample';

const POPULATION = Array.from({ length: 40 }, (_, i) => `CUS-2026-${String(i + 1).padStart(4, '0')}`);
const SEED = '0123456789abcdef0123456789abcdef';
/** The generator's first outputs for seed ...0001, scaled to integers (see the last test). */
const PINNED_FIRST_VALUES = [220705, 580115, 923033];

function seedFor(n: number): string {
  return n.toString(16).padStart(32, '0');
}

describe('review sample: reproducible from the recorded population, seed and size', () => {
  it('gives the same selection every time it is re-run with the same arguments', () => {
    const first = selectSample(POPULATION, SEED, 5);
    assert.equal(first.length, 5);
    for (let run = 0; run < 20; run++) assert.deepEqual(selectSample([...POPULATION], SEED, 5), first);
  });

  it('selects distinct members of the population', () => {
    const sample = selectSample(POPULATION, SEED, 12);
    assert.equal(new Set(sample).size, 12);
    for (const id of sample) assert.ok(POPULATION.includes(id), `${id} is not in the population`);
  });

  it('gives different selections for different seeds', () => {
    const selections = new Set(Array.from({ length: 50 }, (_, n) => selectSample(POPULATION, seedFor(n + 1), 5).join(',')));
    assert.ok(selections.size >= 49, `50 seeds gave only ${selections.size} different selections`);
    assert.notDeepEqual(
      selectSample(POPULATION, SEED, 5),
      selectSample(POPULATION, SEED.replace(/.$/, '0'), 5),
      'seeds differing in one digit select differently',
    );
  });

  it('depends on the population order, which is why the review records it in order', () => {
    const reversed = [...POPULATION].reverse();
    assert.notDeepEqual(selectSample(reversed, SEED, 5), selectSample(POPULATION, SEED, 5));
  });

  it('is a prefix of the larger sample: a bigger size only draws more', () => {
    assert.deepEqual(selectSample(POPULATION, SEED, 8).slice(0, 3), selectSample(POPULATION, SEED, 3));
  });

  it('takes everyone when the population is smaller than the size, and nobody for size 0', () => {
    assert.deepEqual([...selectSample(POPULATION.slice(0, 3), SEED, 5)].sort(), POPULATION.slice(0, 3));
    assert.deepEqual(selectSample(POPULATION, SEED, 0), []);
    assert.deepEqual(selectSample([], SEED, 5), []);
  });

  it('picks every member about equally often over many seeds (not a hand-picked sample)', () => {
    const population = POPULATION.slice(0, 10);
    const counts = new Map(population.map((id) => [id, 0]));
    const draws = 3000;
    for (let n = 0; n < draws; n++)
      for (const id of selectSample(population, seedFor(n * 7919 + 1), 3)) counts.set(id, counts.get(id)! + 1);
    // Each member is expected draws * 3 / 10 = 900 times; a fair draw stays well within ±15 %.
    for (const [id, count] of counts) assert.ok(count > 765 && count < 1035, `${id} was picked ${count} times of ${draws} draws`);
  });

  it('keeps the generator fixed: a seed recorded today selects the same grants after any upgrade', () => {
    // Pinned output of the generator. If this fails, old reviews can no longer be re-run: do not change the algorithm.
    const random = seededRandom('00000000000000000000000000000001');
    const firstValues = [random(), random(), random()].map((value) => Math.floor(value * 1_000_000));
    assert.deepEqual(firstValues, PINNED_FIRST_VALUES);
  });

  it('refuses a seed that is not 32 hex digits, a bad size and a population listing an ID twice', () => {
    assert.throws(() => selectSample(POPULATION, 'not-a-seed', 5), /seed must be 32 lower-case hex digits/);
    assert.throws(() => selectSample(POPULATION, SEED.toUpperCase(), 5), /seed/);
    assert.throws(() => selectSample(POPULATION, SEED, -1), /sample size/);
    assert.throws(() => selectSample(POPULATION, SEED, 1.5), /sample size/);
    assert.throws(() => selectSample(['A', 'B', 'A'], SEED, 1), /twice/);
  });
});
