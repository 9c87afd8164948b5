/** `meeting-tokens verify <tokens.csv>`: every token checked with jose against its row. */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { MeetingTokensError } from '../errors.js';
import { loadApiKey } from '../config/api-key.js';
import { verifyTokensFile } from '../verify/verify-file.js';
import { VERIFY_HELP } from './help.js';
import { parseNow, usageError } from './args.js';

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      now: { type: 'string' },
      'allow-weak-key': { type: 'boolean', default: false },
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
  const report = await verifyTokensFile(file, apiKey.key, {
    now: values.now !== undefined ? parseNow(values.now) : undefined,
    domainId: manifest?.domain_id,
  });
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
