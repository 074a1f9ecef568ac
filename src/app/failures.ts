import { StoreUnavailableError } from '../store/store';

/** The database could not be reached: nothing was changed, and trying again later may work. */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof StoreUnavailableError;
}
