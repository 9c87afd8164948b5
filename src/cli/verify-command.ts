/** `meeting-tokens verify <tokens.csv>`: every token checked with jose against its row. */
import { MeetingTokensError } from '../errors.js';
import { loadApiKey } from '../config/api-key.js';
import { verifyTokensFile, type VerifyReport } from '../verify/verify-file.js';
import { clientFromEnv } from '../daily/client.js';
import { parseNow, usageError } from './args.js';
import { printDetail, printJson, type OutputFlags } from './output.js';
import { verifyResultJson, type OnlineResult } from './verify-result.js';
import { keyFingerprint } from '../sign/fingerprint.js';
import {
  manifestBeside,
  readManifest,
  checkPublishedFile,
  checkTokenCount,
  columnSources,
  filesToVerify,
  otherSigningKey,
  type PublishedManifest,
} from '../verify/manifest-check.js';
import { plural } from '../plural.js';
import { decodeJwt } from 'jose';
import { onlineDifferences } from '../verify/compare-online.js';

/** `verify`'s options as parsed from its declaration (commands.ts). */
export interface VerifyValues extends OutputFlags {
  now?: string;
  manifest?: string;
  allowWeakKey?: boolean;
  online?: boolean;
  sample?: number;
}

export async function verifyCommand(file: string, values: VerifyValues): Promise<number> {
  const manifestPath = values.manifest ?? manifestBeside(file);
  const manifest = manifestPath !== undefined ? await readManifest(manifestPath, values.manifest !== undefined) : undefined;
  // A file signed with the demo key (the example job) verifies with it when no key is set.
  const apiKey = loadApiKey(process.env, { allowWeakKey: values.allowWeakKey ?? false, demoAllowed: manifest?.key_source === 'demo' });
  if (values.sample !== undefined && !values.online) throw usageError('--sample goes with --online');
  const sampleSize = values.online ? (values.sample ?? 5) : 0;
  const now = values.now !== undefined ? parseNow(values.now) : undefined;
  // The file as published first: a truncated or edited copy fails here, saying what differs.
  // A split batch (or its manifest) verifies every part the manifest lists.
  const files = filesToVerify(file, manifest);
  if (manifest !== undefined) for (const part of files) await checkPublishedFile(part, manifest, manifestPath!);
  else if (!values.quiet) {
    process.stderr.write(`${file}: no manifest beside it (or --manifest): its size, checksum and token count are not checked\n`);
  }
  const options = { now, domainId: manifest?.domain_id, sampleSize, sources: columnSources(manifest) };
  const report = await verifyTokensFile(files[0]!, apiKey.key, options);
  for (const part of files.slice(1)) addReport(report, await verifyTokensFile(part, apiKey.key, options), part, sampleSize);
  if (manifest !== undefined) checkTokenCount(file, report.rows, manifest, manifestPath!);
  if (report.badSignature > 0) process.stderr.write(`${badSignatureSummary(report, manifest, keyFingerprint(apiKey.key))}\n`);
  for (const line of report.problems) process.stderr.write(`${line}\n`);
  printDetail(
    values,
    `${file}: ${plural(report.rows, 'token')}, ${report.valid} valid, ${plural(report.badSignature, 'bad signature')}, ` +
      `${plural(report.mismatched, 'claim mismatch', 'claim mismatches')}, ${report.expired} expired, ${report.notYetValid} not yet valid\n`,
  );
  const failed = report.badSignature > 0 || report.mismatched > 0;
  const online = values.online && !failed ? await checkOnline(report.sample, apiKey.key, now ?? new Date(), values) : undefined;
  printJson(values, () => verifyResultJson(file, report, online));
  if (failed) {
    throw new MeetingTokensError(
      'VERIFY_FAILED',
      `${report.badSignature + report.mismatched} of ${plural(report.rows, 'token')} failed verification`,
    );
  }
  if (online && online.accepted < online.sampled) {
    throw new MeetingTokensError('VERIFY_FAILED', `Daily refused ${online.sampled - online.accepted} of ${online.sampled} sampled tokens`);
  }
  if (online && online.differences.length > 0) {
    const where = online.differences.map((d) => `line ${d.line}: ${d.properties.join(', ')}`).join('; ');
    throw new MeetingTokensError(
      'VERIFY_FAILED',
      `Daily reads ${online.differences.length} of ${online.sampled} sampled tokens otherwise than they were signed (${where})`,
    );
  }
  return 0;
}

/** One line however many tokens fail: "1000 tokens do not verify with this key: signed with key 5fd5df4b, yours is 61165fd8". */
function badSignatureSummary(report: VerifyReport, manifest: PublishedManifest | undefined, fingerprint: string): string {
  const n = report.badSignature;
  const lines = report.badSignatureLines;
  const where = n === report.rows ? '' : ` (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}${n > lines.length ? ', ...' : ''})`;
  const other = otherSigningKey(manifest, fingerprint);
  return `${n} ${n === 1 ? 'token does' : 'tokens do'} not verify with this key${where}${other ? `: ${other}` : ''}`;
}

/** Asks Daily about each sampled token; prints one line each (not with --json or --quiet). */
async function checkOnline(sample: VerifyReport['sample'], apiKey: string, now: Date, flags: OutputFlags): Promise<OnlineResult> {
  const client = clientFromEnv(process.env, apiKey);
  const result: OnlineResult = { sampled: sample.length, accepted: 0, refused: [], differences: [] };
  for (const { line, token, nbf } of sample.sort((a, b) => a.line - b.line)) {
    // A token not valid yet is still Daily's to judge: ignoreNbf asks about everything else.
    const answer = await client.checkToken(token, nbf !== undefined && nbf * 1000 > now.getTime());
    if (answer.accepted) {
      result.accepted++;
      printDetail(flags, `line ${line}: accepted by Daily ${JSON.stringify(answer.properties)}\n`);
      // The signature was checked offline before the sample was drawn: the claims are the ones signed.
      const properties = onlineDifferences(decodeJwt(token), answer.properties);
      if (properties.length > 0) {
        result.differences.push({ line, properties });
        printDetail(flags, `line ${line}: Daily reads otherwise than signed: ${properties.join(', ')}\n`);
      }
    } else {
      const reason = `${answer.status} ${answer.error}${answer.info ? `: ${answer.info}` : ''}`;
      result.refused.push({ line, reason });
      printDetail(flags, `line ${line}: refused by Daily (${reason})\n`);
    }
  }
  printDetail(
    flags,
    `online: ${result.accepted} of ${result.sampled} sampled tokens accepted by Daily, ${result.differences.length} read otherwise than signed\n`,
  );
  return result;
}

/** Adds a later part's report to the batch's: counts summed, its problems named by file, the sample topped up. */
function addReport(report: VerifyReport, part: VerifyReport, file: string, sampleSize: number): void {
  report.rows += part.rows;
  report.valid += part.valid;
  report.badSignature += part.badSignature;
  report.mismatched += part.mismatched;
  report.expired += part.expired;
  report.notYetValid += part.notYetValid;
  report.problems.push(...part.problems.map((problem) => `${file} ${problem}`));
  report.badSignatureLines.push(...part.badSignatureLines);
  report.sample.push(...part.sample.slice(0, Math.max(0, sampleSize - report.sample.length)));
}
