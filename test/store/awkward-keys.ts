/** Keys that MongoDB-compatible servers refuse unless the store encodes them. */
export const AWKWARD = {
  'dotted.key': 1,
  $dollar: 'x',
  'mixed$.%25': {
    'inner.key': [
      [1, 2],
      ['a', { 'deep.er': true }],
    ],
  },
  '': 'empty key',
  plain: [{ 'a.b': null }, [], [[]]],
};
