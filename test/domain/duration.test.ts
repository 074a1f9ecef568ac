import assert from 'node:assert/strict';
import { formatDuration, parseDurationMinutes } from '../../src/domain/duration';

describe('parseDurationMinutes', () => {
  const accepted: [string, number][] = [
    ['30m', 30],
    ['4h', 240],
    ['2d', 2880],
    ['1h30m', 90],
    ['1h 30m', 90],
    ['1d2h3m', 1440 + 120 + 3],
    ['90', 90],
    ['  45  ', 45],
    ['4H', 240],
    ['4 h', 240],
    ['15 min', 15],
    ['15 mins', 15],
    ['1 minute', 1],
    ['10 minutes', 10],
    ['2 hr', 120],
    ['3 hrs', 180],
    ['1 hour', 60],
    ['8 hours', 480],
    ['1 day', 1440],
    ['3 days', 4320],
    ['2h 2h', 240],
  ];
  for (const [text, minutes] of accepted) {
    it(`reads ${JSON.stringify(text)} as ${minutes} minutes`, () => {
      assert.equal(parseDurationMinutes(text), minutes);
    });
  }

  const refused = ['', '   ', 'h', 'four hours', '1.5h', '-5m', '4w', '4 weeks', '5 m 3', '1h-30m', '0m', '0h 0m', '4h and a bit', 'm30'];
  for (const text of refused) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.equal(parseDurationMinutes(text), null);
    });
  }
});

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [0, '0m'],
    [1, '1m'],
    [30, '30m'],
    [60, '1h'],
    [90, '1h 30m'],
    [240, '4h'],
    [1440, '1d'],
    [2880, '2d'],
    [1440 + 120 + 3, '1d 2h 3m'],
    [1440 + 5, '1d 5m'],
    [30 * 1440, '30d'],
  ];
  for (const [minutes, text] of cases) {
    it(`writes ${minutes} minutes as "${text}"`, () => {
      assert.equal(formatDuration(minutes), text);
    });
  }

  it('writes what parseDurationMinutes reads back to the same number', () => {
    for (const minutes of [1, 15, 59, 61, 90, 719, 1439, 1441, 4320 + 59]) {
      assert.equal(parseDurationMinutes(formatDuration(minutes)), minutes, `round trip of ${minutes}`);
    }
  });
});
