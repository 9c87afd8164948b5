/** `meeting-tokens verify <tokens.csv>`: every token checked with jose against its row. */
import { readFileSync } from 'node:fs';
import { MeetingTokensError } from '../errors.js';
import { loadApiKey } from '../config/api-key.js';
import { verifyTokensFile, type VerifyReport } from '../verify/verify-file.js';
import { clientFromEnv } from '../daily/client.js';
import { parseNow, usageError } from './args.js';
import { printDetail, printJson, type OutputFlags } from './output.js';
import { verifyResultJson, type OnlineResult } from './verify-result.js';

/** `verify`'s options as parsed from its declaration (commands.ts). */
export interface VerifyValues extends OutputFlags {
  now?: string;
  allowWeakKey?: boolean;
  online?: boolean;
  sample?: number;
}

export async function verifyCommand(file: string, values: VerifyValues): Promise<number> {
  const manifest = readManifest(file);
  // A file signed with the demo key (the example job) verifies with it when no key is set.
  const apiKey = loadApiKey(process.env, { allowWeakKey: values.allowWeakKey ?? false, demoAllowed: manifest?.key_source === 'demo' });
  if (values.sample !== undefined && !values.online) throw usageError('--sample goes with --online');
  const sampleSize = values.online ? (values.sample ?? 5) : 0;
  const now = values.now !== undefined ? parseNow(values.now) : undefined;
  const report = await verifyTokensFile(file, apiKey.key, { now, domainId: manifest?.domain_id, sampleSize });
  for (const line of report.problems) process.stderr.write(`${line}\n`);
  printDetail(
    values,
    `${file}: ${report.rows} tokens, ${report.valid} valid, ${report.badSignature} bad signatures, ` +
      `${report.mismatched} claim mismatches, ${report.expired} expired, ${report.notYetValid} not yet valid\n`,
  );
  const failed = report.badSignature > 0 || report.mismatched > 0;
  const online = values.online && !failed ? await checkOnline(report.sample, apiKey.key, now ?? new Date(), values) : undefined;
  printJson(values, () => verifyResultJson(file, report, online));
  if (failed) {
    throw new MeetingTokensError(
      'VERIFY_FAILED',
      `${report.badSignature + report.mismatched} of ${report.rows} tokens failed verification`,
    );
  }
  if (online && online.accepted < online.sampled) {
    throw new MeetingTokensError('VERIFY_FAILED', `Daily refused ${online.sampled - online.accepted} of ${online.sampled} sampled tokens`);
  }
  return 0;
}

function readManifest(tokensFile: string): { key_source?: string; domain_id?: string } | undefined {
  if (!tokensFile.endsWith('.csv')) return undefined;
  try {
    return JSON.parse(readFileSync(tokensFile.replace(/\.csv$/, '.manifest.json'), 'utf8')) as { key_source?: string; domain_id?: string };
  } catch {
    return undefined;
  }
}

/** Asks Daily about each sampled token; prints one line each (not with --json or --quiet). */
async function checkOnline(sample: VerifyReport['sample'], apiKey: string, now: Date, flags: OutputFlags): Promise<OnlineResult> {
  const client = clientFromEnv(process.env, apiKey);
  const result: OnlineResult = { sampled: sample.length, accepted: 0, refused: [] };
  for (const { line, token, nbf } of sample.sort((a, b) => a.line - b.line)) {
    // A token not valid yet is still Daily's to judge: ignoreNbf asks about everything else.
    const answer = await client.checkToken(token, nbf !== undefined && nbf * 1000 > now.getTime());
    if (answer.accepted) {
      result.accepted++;
      printDetail(flags, `line ${line}: accepted by Daily ${JSON.stringify(answer.properties)}\n`);
    } else {
      const reason = `${answer.status} ${answer.error}${answer.info ? `: ${answer.info}` : ''}`;
      result.refused.push({ line, reason });
      printDetail(flags, `line ${line}: refused by Daily (${reason})\n`);
    }
  }
  printDetail(flags, `online: ${result.accepted} of ${result.sampled} sampled tokens accepted by Daily\n`);
  return result;
}
