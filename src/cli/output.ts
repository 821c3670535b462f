// Writing report files: "-" is standard output; a file's folder is created when missing.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writeOutput(target: string, content: string): Promise<void> {
  if (target === '-') {
    process.stdout.write(content.endsWith('\n') ? content : `${content}\n`);
    return;
  }
  await mkdir(path.dirname(path.resolve(target)), { recursive: true });
  await writeFile(target, content.endsWith('\n') ? content : `${content}\n`);
}
