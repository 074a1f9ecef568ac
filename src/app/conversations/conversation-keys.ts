/** Keys under which conversation references are stored. */
export const userConversationKey = (aadObjectId: string) => `user:${aadObjectId}`;
/** Remembers a person's Teams user ID (MRI) for role-specific card refresh. */
export const memberKey = (aadObjectId: string) => `member:${aadObjectId}`;
