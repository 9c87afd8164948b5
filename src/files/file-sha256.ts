import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';

/** The SHA-256 (hex) of a file, read as a stream (a batch file may be gigabytes). */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}
