import { ConnectionString } from 'mongodb-connection-string-url';

const UNPARSEABLE = 'an unparseable MongoDB URI (not shown: it may contain credentials)';

function parse(uri: string): ConnectionString | null {
  try {
    return new ConnectionString(uri);
  } catch {
    return null;
  }
}

/** The host list of a MongoDB URI ("h1:27017,h2:27017"), or a placeholder when it cannot be parsed. */
export function mongoHosts(uri: string): string {
  const parsed = parse(uri);
  return parsed ? parsed.hosts.join(',') : UNPARSEABLE;
}

/**
 * A MongoDB URI fit for logs and error messages: the password is replaced by
 * "***" and the query string (which can carry secrets such as
 * authMechanismProperties or key-file passwords) is dropped.
 */
export function redactMongoUri(uri: string): string {
  const parsed = parse(uri);
  if (!parsed) return UNPARSEABLE;
  const scheme = parsed.isSRV ? 'mongodb+srv' : 'mongodb';
  let credentials = '';
  if (parsed.username !== '') credentials = `${parsed.username}${parsed.password !== '' ? ':***' : ''}@`;
  else if (parsed.password !== '') credentials = ':***@';
  const database = parsed.pathname && parsed.pathname !== '/' ? parsed.pathname : '/';
  return `${scheme}://${credentials}${parsed.hosts.join(',')}${database}`;
}

/** Removes the URI's password (raw and decoded) from a text such as a driver error message. */
export function scrubPassword(text: string, uri: string): string {
  const parsed = parse(uri);
  const raw = parsed?.password ?? '';
  if (raw === '') return text;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // keep the raw form only
  }
  let out = text;
  for (const secret of new Set([raw, decoded])) if (secret !== '') out = out.split(secret).join('***');
  return out;
}

/** Whether the URI sets a connection option itself (option names are case-insensitive). */
export function uriSetsOption(uri: string, option: string): boolean {
  const parsed = parse(uri);
  if (!parsed) return false;
  const wanted = option.toLowerCase();
  return [...parsed.searchParams.keys()].some((key) => key.toLowerCase() === wanted);
}
