/** `meeting-tokens verify <tokens.csv>`: every token checked with jose against its row. */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { MeetingTokensError } from '../errors.js';
import { loadApiKey } from '../config/api-key.js';
import { verifyTokensFile, type VerifyReport } from '../verify/verify-file.js';
import { clientFromEnv } from '../daily/client.js';
import { VERIFY_HELP } from './help.js';
import { parseNow, usageError } from './args.js';

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      now: { type: 'string' },
      'allow-weak-key': { type: 'boolean', default: false },
      online: { type: 'boolean', default: false },
      sample: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(VERIFY_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw usageError('verify takes one tokens file');
  const file = positionals[0]!;
  const manifest = readManifest(file);
  // A file signed with the demo key (the example job) verifies with it when no key is set.
  const apiKey = loadApiKey(process.env, { allowWeakKey: values['allow-weak-key'], demoAllowed: manifest?.key_source === 'demo' });
  let sampleSize = 0;
  if (values.sample !== undefined && !values.online) throw usageError('--sample goes with --online');
  if (values.online) {
    sampleSize = values.sample !== undefined ? Number(values.sample) : 5;
    if (!Number.isInteger(sampleSize) || sampleSize < 1 || sampleSize > 1000) throw usageError('--sample: a whole number from 1 to 1000');
  }
  const now = values.now !== undefined ? parseNow(values.now) : undefined;
  const report = await verifyTokensFile(file, apiKey.key, { now, domainId: manifest?.domain_id, sampleSize });
  for (const line of report.problems) process.stderr.write(`${line}\n`);
  process.stdout.write(
    `${file}: ${report.rows} tokens, ${report.valid} valid, ${report.badSignature} bad signatures, ` +
      `${report.mismatched} claim mismatches, ${report.expired} expired, ${report.notYetValid} not yet valid\n`,
  );
  if (report.badSignature > 0 || report.mismatched > 0) {
    throw new MeetingTokensError(
      'VERIFY_FAILED',
      `${report.badSignature + report.mismatched} of ${report.rows} tokens failed verification`,
    );
  }
  if (values.online) {
    const refused = await checkOnline(report.sample, apiKey.key, now ?? new Date());
    if (refused > 0) throw new MeetingTokensError('VERIFY_FAILED', `Daily refused ${refused} of ${report.sample.length} sampled tokens`);
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

/** Asks Daily about each sampled token; prints one line each; returns how many it refused. */
async function checkOnline(sample: VerifyReport['sample'], apiKey: string, now: Date): Promise<number> {
  const client = clientFromEnv(process.env, apiKey);
  let refused = 0;
  for (const { line, token, nbf } of sample.sort((a, b) => a.line - b.line)) {
    // A token not valid yet is still Daily's to judge: ignoreNbf asks about everything else.
    const result = await client.checkToken(token, nbf !== undefined && nbf * 1000 > now.getTime());
    if (result.accepted) {
      process.stdout.write(`line ${line}: accepted by Daily ${JSON.stringify(result.properties)}\n`);
    } else {
      refused++;
      process.stdout.write(`line ${line}: refused by Daily (${result.status} ${result.error}${result.info ? `: ${result.info}` : ''})\n`);
    }
  }
  process.stdout.write(`online: ${sample.length - refused} of ${sample.length} sampled tokens accepted by Daily\n`);
  return refused;
}
