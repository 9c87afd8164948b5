/** A published batch made by hand for delivery tests: data files of given contents and a manifest listing them. */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';

export interface TestBatch {
  dir: string;
  manifestPath: string;
  names: string[];
}

export function makeBatch(dir: string, job: string, files: Record<string, Buffer | string>): TestBatch {
  mkdirSync(dir, { recursive: true });
  const listed: Record<string, { name: string; bytes: number; sha256: string }> = {};
  for (const [key, content] of Object.entries(files)) {
    const name = `${job}-20261127T100000Z${key}`;
    const bytes = Buffer.from(content);
    writeFileSync(join(dir, name), bytes);
    listed[key] = { name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  const manifestName = `${job}-20261127T100000Z.manifest.json`;
  const manifest = { job, run_id: '7c1e1d4e-58a4-4b8e-9d55-4a3c5c2a0f11', slot: null, status: 'done', files: listed };
  writeFileSync(join(dir, manifestName), JSON.stringify(manifest, null, 2) + '\n');
  return { dir, manifestPath: join(dir, manifestName), names: [...Object.values(listed).map((f) => f.name), manifestName] };
}

/** A logger that keeps its lines, for checking what a delivery logged. */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return { log, lines };
}
