/** `meeting-tokens domain`: the domain id and name, from Daily's `GET /`. */
import { parseArgs } from 'node:util';
import { loadApiKey } from '../config/api-key.js';
import { findJobFile, loadJob } from '../config/load-job.js';
import { writeJobDomain } from '../config/write-job.js';
import { clientFromEnv } from '../daily/client.js';
import { DOMAIN_HELP } from './help.js';
import { usageError } from './args.js';

export async function domainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'write-job': { type: 'string' },
      jobs: { type: 'string', default: 'jobs' },
      'allow-weak-key': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(DOMAIN_HELP);
    return 0;
  }
  if (positionals.length > 0) throw usageError('domain takes no arguments; see meeting-tokens domain --help');
  // Find the job file first: a typo in its name should not cost a request.
  const jobFile = values['write-job'] !== undefined ? findJobFile(values['write-job'], values.jobs) : undefined;
  if (jobFile) loadJob(jobFile); // refuse to edit a job file that is not valid now
  const apiKey = loadApiKey(process.env, { allowWeakKey: values['allow-weak-key'], demoAllowed: false });
  const domain = await clientFromEnv(process.env, apiKey.key).getDomain();
  process.stdout.write(`domain_id: ${domain.domainId}\ndomain_name: ${domain.domainName}\n`);
  if (jobFile) {
    writeJobDomain(jobFile, domain);
    process.stdout.write(`written to ${jobFile}\n`);
  }
  return 0;
}
