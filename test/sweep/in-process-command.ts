// Runs one tc-canary command in this process (so nock sees its requests), capturing what it prints and
// the exit code it sets.

import type { Command } from 'commander';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';

export interface CommandOutcome {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function runCommandInProcess(command: Command, args: string[], env: Record<string, string> = {}): Promise<CommandOutcome> {
  const captured = { stdout: '', stderr: '' };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { captured.stdout += String(chunk); return true; });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { captured.stderr += String(chunk); return true; });
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  process.exitCode = undefined;
  try {
    await command.exitOverride().parseAsync(args, { from: 'user' });
    return { ...captured, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = undefined;
    stdout.mockRestore();
    stderr.mockRestore();
    vi.unstubAllEnvs();
  }
}

/** A config file in a fresh temporary folder. */
export function configFile(yaml: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'tc-canary-')), 'tc-canary.yml');
  writeFileSync(file, yaml);
  return file;
}
