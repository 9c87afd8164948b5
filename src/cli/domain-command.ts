/** `meeting-tokens domain`: the domain id and name, from Daily's `GET /`. */
import { loadApiKey } from '../config/api-key.js';
import { findJobFile, loadJob } from '../config/load-job.js';
import { writeJobDomain } from '../config/write-job.js';
import { clientFromEnv } from '../daily/client.js';
import { printResult, type OutputFlags } from './output.js';

/** `domain`'s options as parsed from its declaration (commands.ts). */
export interface DomainValues extends OutputFlags {
  writeJob?: string;
  jobs: string;
  allowWeakKey?: boolean;
}

export async function domainCommand(values: DomainValues): Promise<number> {
  // Find the job file first: a typo in its name should not cost a request.
  const jobFile = values.writeJob !== undefined ? findJobFile(values.writeJob, values.jobs) : undefined;
  if (jobFile) loadJob(jobFile); // refuse to edit a job file that is not valid now
  const apiKey = loadApiKey(process.env, { allowWeakKey: values.allowWeakKey ?? false, demoAllowed: false });
  const domain = await clientFromEnv(process.env, apiKey.key).getDomain();
  if (jobFile) writeJobDomain(jobFile, domain);
  printResult(
    values,
    () => `domain_id: ${domain.domainId}\ndomain_name: ${domain.domainName}\n${jobFile ? `written to ${jobFile}\n` : ''}`,
    () => ({ domain_id: domain.domainId, domain_name: domain.domainName, written_to: jobFile ?? null }),
  );
  return 0;
}
