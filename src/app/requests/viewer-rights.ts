import { canStillApprove } from '../../domain/approval-rules';
import { canDecideExtension, pendingExtension } from '../../domain/extension';
import { ROLE_SECURITY } from '../../domain/policy';
import type { AccessRequest, Person } from '../../domain/types';

/** The buttons a card offers its viewer. */
export interface ViewerRights {
  canDecide: boolean;
  canCancel: boolean;
  canRelease: boolean;
  /** Attestation steps this viewer may record. */
  attestStepIds: string[];
  /** Ask for more time on the active grant (its requester); absent when not. */
  canExtend?: true;
  /** Approve or reject the pending extension; absent when not. */
  canDecideExtension?: true;
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
    ...(isRequester && request.status === 'active' && !pendingExtension(request) && { canExtend: true as const }),
    ...(canDecideExtension(request, { person, roles }) && { canDecideExtension: true as const }),
  };
}

/** Rights shown on the shared copy of a card: buttons appear, the server decides on each click. */
export function sharedRights(request: AccessRequest, view: 'status' | 'approval'): ViewerRights {
  const extensionOpen = request.status === 'active' && pendingExtension(request) !== undefined;
  if (view === 'status')
    return {
      canDecide: false,
      canCancel: true,
      canRelease: true,
      attestStepIds: [],
      ...(request.status === 'active' && !extensionOpen && { canExtend: true as const }),
    };
  return {
    canDecide: true,
    canCancel: false,
    canRelease: false,
    attestStepIds: request.steps.filter((step) => step.kind === 'attest' && step.status === 'pending').map((step) => step.id),
    ...(extensionOpen && { canDecideExtension: true as const }),
  };
}
