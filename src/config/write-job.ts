/**
 * Stores the domain id and name in a job file, keeping its comments and layout (yaml's
 * Document API edits the parsed tree, not the text). Written to a temporary file and renamed,
 * so a job file is never half-written.
 */
import { readFileSync, writeFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseDocument } from 'yaml';
import { MeetingTokensError } from '../errors.js';

export function writeJobDomain(file: string, domain: { domainId: string; domainName: string }): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length > 0) {
    throw new MeetingTokensError('CONFIG_INVALID', `${file}: not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`, { file });
  }
  doc.set('domain_id', domain.domainId);
  doc.set('domain_name', domain.domainName);
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, doc.toString(), { mode: statSync(file).mode & 0o777, flag: 'wx' });
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
    throw new MeetingTokensError('CONFIG_INVALID', `${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
}
