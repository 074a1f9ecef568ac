import { open, rename, rm } from 'node:fs/promises';

/** Writes the chunks to `file.partial`, syncs, then renames: a failed write leaves no half-written file behind. */
export async function writeFileAtomically(file: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  const partial = `${file}.partial`;
  try {
    const handle = await open(partial, 'w', 0o600);
    try {
      for await (const chunk of chunks) await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw error;
  }
}
