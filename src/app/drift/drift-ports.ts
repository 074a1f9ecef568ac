import type { DriftFinding } from '../../domain/drift-finding';
import type { PostedRef } from '../../domain/review-record';

/** How finding cards reach the security conversation (implemented by the Teams layer). */
export interface FindingCards {
  /** Posts the finding's card; undefined when no security conversation is registered or Teams failed. */
  postFinding(finding: DriftFinding): Promise<PostedRef | undefined>;
  /** Re-renders a posted finding card in place. */
  updateFinding(posted: PostedRef, finding: DriftFinding): Promise<void>;
}
