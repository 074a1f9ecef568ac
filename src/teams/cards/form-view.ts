import { jurisdictionCodes, type PolicySet } from '../../domain/policy';
import type { DraftField, RequestDraft } from '../../domain/request-draft';
import { accessLevelChoices, parseAccessLevel, proposedFolder } from '../../domain/access-level';
import { plainText } from '../../domain/plain-text';

const FIELDS: DraftField[] = [
  'mailbox',
  'ticket',
  'jurisdiction',
  'access',
  'folder',
  'duration',
  'justification',
  'legalBasis',
  'noticeWithheldReason',
];

/** Data for bot/cards/request-form.json, prefilled with what was typed and an error per bad field. */
export function requestFormData(policies: PolicySet, draft: RequestDraft = {}, errors: Partial<Record<DraftField, string>> = {}) {
  const values = Object.fromEntries(FIELDS.map((field) => [field, draft[field] ?? ''])) as Record<DraftField, string>;
  // Input values stay raw (an Input.Text shows no Markdown); error texts quote what was typed, so they are escaped.
  const errorTexts = Object.fromEntries(FIELDS.map((field) => [field, plainText(errors[field] ?? '')])) as Record<DraftField, string>;
  const codes = jurisdictionCodes(policies);
  // A choice with an empty value renders blank; "none" reads as "not required" (validation treats it so).
  const legalBases = [{ title: 'Not required', value: 'none' }];
  for (const code of codes)
    for (const basis of policies.jurisdictions[code].legalBases) legalBases.push({ title: `${code}: ${basis.label}`, value: basis.id });
  const count = Object.values(errors).filter(Boolean).length;
  return {
    values: { ...values, jurisdiction: values.jurisdiction.toUpperCase(), access: parseAccessLevel(values.access) ?? values.access },
    errors: errorTexts,
    summary: count > 0 ? `Please correct ${count} field${count > 1 ? 's' : ''}; nothing was submitted.` : '',
    accessLevels: accessLevelChoices(),
    folderPlaceholder: proposedFolder(),
    jurisdictions: codes.map((code) => ({ title: `${policies.jurisdictions[code].name} (${code})`, value: code })),
    legalBases,
  };
}
