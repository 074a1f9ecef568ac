/**
 * Is a request body shaped like a Bot Framework activity, enough for the
 * adapter and the activity handlers to read it without throwing? Checked
 * before authentication, so a malformed body gets a fixed 400 instead of an
 * exception text. Field meaning is checked later, after authentication.
 */
export function isActivityShape(body: unknown): boolean {
  if (!isObject(body)) return false;
  if (typeof body.type !== 'string' || body.type === '' || body.type.length > 64) return false;
  if (typeof body.serviceUrl !== 'string' || !isHttpUrl(body.serviceUrl)) return false;
  if (!isObject(body.conversation) || typeof body.conversation.id !== 'string') return false;
  for (const key of ['from', 'recipient', 'channelData', 'relatesTo'])
    if (body[key] !== undefined && body[key] !== null && !isObject(body[key])) return false;
  for (const key of ['from', 'recipient'])
    if (isObject(body[key]) && !optionalStrings(body[key], ['id', 'name', 'aadObjectId', 'role'])) return false;
  if (!optionalStrings(body.conversation, ['id', 'name', 'conversationType', 'tenantId'])) return false;
  if (!optionalStrings(body, ['channelId', 'id', 'text', 'name', 'locale', 'replyToId', 'textFormat', 'timestamp', 'localTimestamp']))
    return false;
  for (const key of ['entities', 'attachments', 'membersAdded', 'membersRemoved', 'reactionsAdded', 'reactionsRemoved'])
    if (body[key] !== undefined && body[key] !== null && !(Array.isArray(body[key]) && (body[key] as unknown[]).every(isObject)))
      return false;
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalStrings(node: Record<string, unknown>, keys: string[]): boolean {
  return keys.every((key) => node[key] === undefined || node[key] === null || typeof node[key] === 'string');
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
