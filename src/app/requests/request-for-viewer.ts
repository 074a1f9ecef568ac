import type { AccessRequest, Person } from '../../domain/types';
import type { AppContext } from '../context';
import { rightsFor, type ViewerRights } from './viewer-rights';

/** A request as one person sees it: what the card shows and which buttons it offers them. */
export interface RequestForViewer {
  request: AccessRequest;
  rights: ViewerRights;
}

/** The viewer's rights on `request`, from the roles they hold now. */
export async function requestForViewer(ctx: AppContext, viewer: Person, request: AccessRequest): Promise<RequestForViewer> {
  const roles = await ctx.roles.rolesOf(viewer);
  return { request, rights: rightsFor(request, viewer, roles) };
}

/**
 * After an action: the request as stored now (the action's notices may have
 * changed it since, e.g. a posted card), as the viewer sees it.
 */
export async function latestForViewer(ctx: AppContext, viewer: Person, request: AccessRequest): Promise<RequestForViewer> {
  return requestForViewer(ctx, viewer, (await ctx.store.getRequest(request.id)) ?? request);
}
