import { canStillApprove } from '../../domain/approval-rules';
import { ROLE_SECURITY } from '../../domain/policy';
import type { AccessRequest, Person } from '../../domain/types';

/** The buttons a card offers its viewer. */
export interface ViewerRights {
  canDecide: boolean;
  canCancel: boolean;
  canRelease: boolean;
  /** Attestation steps this viewer may record. */
  attestStepIds: string[];
}

export const NO_RIGHTS: ViewerRights = { canDecide: false, canCancel: false, canRelease: false, attestStepIds: [] };

/** What this authenticated person may press on the request's card. */
export function rightsFor(request: AccessRequest, person: Person, roles: string[]): ViewerRights {
  const isRequester = person.aadObjectId === request.requester.aadObjectId;
  const isOwner = person.aadObjectId === request.mailbox.objectId;
  return {
    canDecide: canStillApprove(request, { person, roles }),
    canCancel: isRequester,
    canRelease: isRequester || roles.includes(ROLE_SECURITY),
    attestStepIds:
      isRequester || isOwner || request.status !== 'pending'
        ? []
        : request.steps
            .filter((step) => step.kind === 'attest' && step.status === 'pending' && (!step.target || roles.includes(step.target)))
            .map((step) => step.id),
  };
}

/** Rights shown on the shared copy of a card: buttons appear, the server decides on each click. */
export function sharedRights(request: AccessRequest, view: 'status' | 'approval'): ViewerRights {
  if (view === 'status') return { canDecide: false, canCancel: true, canRelease: true, attestStepIds: [] };
  return {
    canDecide: true,
    canCancel: false,
    canRelease: false,
    attestStepIds: request.steps.filter((step) => step.kind === 'attest' && step.status === 'pending').map((step) => step.id),
  };
}
