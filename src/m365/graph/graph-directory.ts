import type { Directory, DirectoryUser, MailboxUser } from '../directory';
import type { GraphApi } from './graph-api';
import { GraphError } from './graph-error';
import {
  USER_SELECT,
  directoryObjectShape,
  idListShape,
  odataString,
  parseShape,
  requireAddress,
  requireObjectId,
  userListShape,
  userShape,
  type GraphUser,
} from './graph-shapes';

/**
 * Directory over Microsoft Graph v1.0.
 * Permissions: User.Read.All, GroupMember.Read.All, MailboxSettings.Read.
 *
 * Mailbox presence: GET /users/{id}/mailboxSettings answers 200 for an Exchange
 * Online mailbox and 404 (MailboxNotEnabledForRESTAPI) when the user has none.
 * Licence plans would miss shared mailboxes, and `mail` can be set without a mailbox.
 */
export class GraphDirectory implements Directory {
  constructor(private readonly graph: GraphApi) {}

  async findUser(upnOrMail: string): Promise<MailboxUser | null> {
    const address = requireAddress(upnOrMail, 'User');
    const filter = `userPrincipalName eq ${odataString(address)} or mail eq ${odataString(address)}`;
    // The Graph client puts $filter into the URL as given: encode it so that '+' and '&' survive.
    const body = await this.graph.call('find user', (api) =>
      api('/users').filter(encodeURIComponent(filter)).select(USER_SELECT).top(2).get(),
    );
    const users = parseShape(userListShape, body, 'find user').value;
    if (users.length === 0) return null;
    const exact = users.filter((u) => u.userPrincipalName.toLowerCase() === address.toLowerCase());
    if (users.length > 1 && exact.length !== 1) {
      throw new GraphError(`find user: "${address}" matches more than one user; use the UPN.`, 'ambiguous', 200, false);
    }
    const user = toDirectoryUser(exact[0] ?? users[0]);
    return { ...user, hasMailbox: await this.hasMailbox(user.id) };
  }

  async getUser(objectId: string): Promise<DirectoryUser | null> {
    requireObjectId(objectId, 'User ID');
    const user = await this.getOrNull('get user', (api) => api(`/users/${objectId}`).select(USER_SELECT).get());
    return user ? toDirectoryUser(parseShape(userShape, user, 'get user')) : null;
  }

  async getManager(objectId: string): Promise<DirectoryUser | null> {
    requireObjectId(objectId, 'User ID');
    const body = await this.getOrNull('get manager', (api) => api(`/users/${objectId}/manager`).get());
    if (!body) return null;
    const manager = parseShape(directoryObjectShape, body, 'get manager');
    // A manager can be an organisational contact; only users count here.
    if (manager['@odata.type'] && manager['@odata.type'] !== '#microsoft.graph.user') return null;
    if (!manager.userPrincipalName) return this.getUser(manager.id);
    return toDirectoryUser({ ...manager, userPrincipalName: manager.userPrincipalName });
  }

  async isMemberOf(userObjectId: string, groupObjectId: string): Promise<boolean> {
    requireObjectId(userObjectId, 'User ID');
    requireObjectId(groupObjectId, 'Group ID');
    // checkMemberGroups is transitive (nested groups count).
    const body = await this.getOrNull('check group membership', (api) =>
      api(`/users/${userObjectId}/checkMemberGroups`).post({ groupIds: [groupObjectId] }),
    );
    if (!body) return false; // no such user: not a member
    const ids = parseShape(idListShape, body, 'check group membership').value;
    return ids.some((id) => id.toLowerCase() === groupObjectId.toLowerCase());
  }

  /** Whether the user has an Exchange Online mailbox. */
  async hasMailbox(objectId: string): Promise<boolean> {
    requireObjectId(objectId, 'User ID');
    const settings = await this.getOrNull('read mailbox settings', (api) => api(`/users/${objectId}/mailboxSettings`).get());
    return settings !== null;
  }

  /** 404 means "not there"; every other failure stays an error. */
  private async getOrNull(what: string, op: Parameters<GraphApi['call']>[1]): Promise<unknown | null> {
    try {
      return await this.graph.call(what, op);
    } catch (err) {
      if (err instanceof GraphError && err.status === 404) return null;
      throw err;
    }
  }
}

function toDirectoryUser(user: GraphUser): DirectoryUser {
  return {
    id: user.id,
    displayName: user.displayName ?? user.userPrincipalName,
    userPrincipalName: user.userPrincipalName,
    mail: user.mail ?? undefined,
  };
}
