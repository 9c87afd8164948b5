/**
 * The domain id a run needs when neither a flag nor the job gives it: asked of Daily once, before
 * the roster is read. A failure says what was being done and how to do without it, since the
 * user never asked for a request.
 */
import { MeetingTokensError } from '../errors.js';
import { clientFromEnv, type DomainInfo } from './client.js';

export async function lookUpDomainForRun(env: NodeJS.ProcessEnv, apiKey: string): Promise<DomainInfo> {
  try {
    return await clientFromEnv(env, apiKey).getDomain();
  } catch (error) {
    if (!(error instanceof MeetingTokensError)) throw error;
    throw new MeetingTokensError(
      error.code,
      `looking up the domain id at Daily (no --domain-id given, no domain_id in the job): ${error.message}; ` +
        'give --domain-id <uuid> (or domain_id in the job) to skip the lookup, or --offline to never call Daily',
      error.context,
      { cause: error },
    );
  }
}
