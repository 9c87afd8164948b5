/** The rooms stage `run` and `check` share: the domain's rooms listed at Daily before any row is signed. */
import type { Logger } from 'pino';
import type { ApiKey } from '../config/api-key.js';
import type { CheckConfig } from '../config/run-config.js';
import { createMapper } from '../claims/map-row.js';
import { clientFromEnv } from '../daily/client.js';
import { prepareRooms, type RoomsStage } from '../rooms/prepare-rooms.js';
import type { ChunkSpec } from './process-chunk.js';

/**
 * Lists the domain's rooms and, with `ensure_rooms`, finds the missing ones: a run (`create`)
 * creates them; a check only counts them as a run would create them, so their rows pass.
 */
export function roomsStage(
  config: Pick<CheckConfig, 'domainName' | 'ensureRooms' | 'rosterPath' | 'delimiter' | 'encoding' | 'job'>,
  apiKey: ApiKey,
  spec: ChunkSpec,
  log: Logger,
  signal: AbortSignal | undefined,
  create: boolean,
): Promise<RoomsStage> {
  return prepareRooms({
    client: clientFromEnv(process.env, apiKey.key),
    domain: config.domainName ?? spec.settings.domainId,
    ensure: config.ensureRooms,
    create,
    rosterPath: config.rosterPath,
    reading: { delimiter: config.delimiter, encoding: config.encoding },
    mapRow: createMapper(spec.settings, spec.plan),
    width: spec.plan.headers.length,
    job: config.job,
    log,
    signal,
  });
}
