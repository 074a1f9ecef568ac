import type { PolicySet } from '../../domain/policy';
import type { Person } from '../../domain/types';
import type { Directory } from '../../m365/directory';

/**
 * Which roles a person holds: explicit members from the policy file, or
 * transitive membership of the role's group in the directory. Fails closed:
 * a directory error propagates and the caller refuses the action.
 */
export class RoleResolver {
  constructor(
    private readonly policies: PolicySet,
    private readonly directory: Directory,
  ) {}

  async rolesOf(person: Person): Promise<string[]> {
    if (!person.aadObjectId) return [];
    const roles = Object.values(this.policies.roles);
    // The group checks go out together; any failure fails the whole answer.
    const held = await Promise.all(
      roles.map(async (role) =>
        role.members.includes(person.aadObjectId)
          ? true
          : role.groupId
            ? this.directory.isMemberOf(person.aadObjectId, role.groupId)
            : false,
      ),
    );
    return roles.filter((_, index) => held[index]).map((role) => role.name);
  }

  async hasRole(person: Person, role: string): Promise<boolean> {
    return (await this.rolesOf(person)).includes(role);
  }

  /** Explicitly listed members of roles (used to target role-specific card views). */
  listedMembers(roles: string[]): string[] {
    return roles.flatMap((role) => this.policies.roles[role]?.members ?? []);
  }
}
