import assert from 'node:assert/strict';
import { CardFactory } from '../../../src/teams/card-factory';
import { NO_RIGHTS } from '../../../src/app/requests/viewer-rights';
import { CARDS_DIR, policySet, requestIn, shippedPolicies, simplePack, strictPack } from '../../support/requests';
import { bodyActions, elements } from './card-checks';

describe('card edge cases', () => {
  it('the form preselects the access level the person typed in short form', () => {
    const card = new CardFactory(CARDS_DIR, shippedPolicies()).form({ access: 'full' }, { ticket: 'x' });
    assert.equal(elements(card).find((element) => element.id === 'access')?.value, 'FullAccess');
  });

  it('a request card without refresh user IDs has no refresh property (null is not valid there)', () => {
    const card = new CardFactory(CARDS_DIR, policySet([simplePack()])).request(requestIn('pending'), NO_RIGHTS);
    assert.equal('refresh' in card, false);
    assert.equal(JSON.stringify(card).includes('null'), false);
  });

  it('each "not possible" button names its step', () => {
    const pack = strictPack({
      steps: [
        { id: 'a', kind: 'attest', target: 'hr', label: 'Step A' },
        { id: 'b', kind: 'attest', target: 'hr', label: 'Step B' },
      ],
    });
    const card = new CardFactory(CARDS_DIR, policySet([pack])).request(requestIn('pending', { valid: { policy: pack } }), {
      ...NO_RIGHTS,
      attestStepIds: ['a', 'b'],
    });
    const titles = bodyActions(card).map((action) => action.title);
    assert.equal(new Set(titles).size, titles.length, titles.join(' | '));
  });
});
