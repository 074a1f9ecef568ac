import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

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

/** The same, creating the file's folder first (scheduled output into a configured folder). */
export async function writeFileIntoFolder(file: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomically(file, chunks);
}
