// Writing report files: "-" is standard output; a file's missing folders are created. Each path is proven
// writable before the run starts (a report lost after an hour of checks helps nobody), and written after it.

import { constants } from 'node:fs';
import { access, mkdir, open, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/diagnostics.js';

/** Fails with a usage error naming the option and the path when the report could not be written there. */
export async function checkOutputWritable(target: string, option: string): Promise<void> {
  if (target === '-') return;
  const file = path.resolve(target);
  const refuse = (reason: string) => new ConfigError('arguments', [{ path: option, message: `cannot write ${target}: ${reason}` }]);
  try {
    await makeFolders(path.dirname(file));
  } catch (error) {
    throw refuse(`cannot create its folder ${(error as NodeJS.ErrnoException).path ?? path.dirname(file)}: ${reasonOf(error)}`);
  }
  try {
    const existing = await stat(file).catch(() => undefined);
    if (existing?.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
    if (existing) {
      await access(file, constants.W_OK);
    } else {
      // Creating it is the only proof that works for every file system; the run writes it again at the end.
      await (await open(file, 'wx')).close();
      await unlink(file);
    }
  } catch (error) {
    throw refuse(reasonOf(error));
  }
}

export async function writeOutput(target: string, content: string): Promise<void> {
  if (target === '-') {
    process.stdout.write(content.endsWith('\n') ? content : `${content}\n`);
    return;
  }
  await makeFolders(path.dirname(path.resolve(target)));
  await writeFile(target, content.endsWith('\n') ? content : `${content}\n`);
}

/** Why a write failed, in words, without a stack. */
export function reasonOf(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  if (code === 'ENOENT') return 'the system refuses to create it there (ENOENT)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  return code ?? message;
}

/**
 * Creates the missing folders one level at a time. Not `mkdir(..., {recursive: true})`: under /proc the kernel
 * answers ENOENT for a new folder whose parent exists, and Node's recursive mkdir then retries forever at full
 * CPU (`--json /proc/nonexistent/x.json` never ended, not even on SIGTERM).
 */
async function makeFolders(folder: string): Promise<void> {
  const missing: string[] = [];
  let at = folder;
  while (!(await stat(at).catch(() => undefined))) {
    missing.unshift(at);
    at = path.dirname(at);
  }
  for (const level of missing) await mkdir(level);
}
