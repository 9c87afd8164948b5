/** `meeting-tokens serve`: answers short links, signing each token when its link is opened. */
import { once } from 'node:events';
import { loadApiKey } from '../config/api-key.js';
import { MeetingTokensError } from '../errors.js';
import { createLogger } from '../log.js';
import { listenError } from '../schedule/metrics.js';
import { keyFingerprint } from '../sign/fingerprint.js';
import { createSigner } from '../sign/signer.js';
import { createLinkServer } from '../serve/link-server.js';
import type { PageMode } from '../serve/link-answer.js';
import { openLinkSource } from '../serve/open-link-source.js';
import { ServeMetrics } from '../serve/serve-metrics.js';
import { SqliteOpenWriter } from '../serve/sqlite-open-writer.js';
import { effectiveLogLevel, type LogLevel } from './options.js';
import { trapStopSignals } from './signals.js';

/** `serve`'s options as parsed from its declaration (commands.ts). */
export interface ServeValues {
  port: number;
  host: string;
  linksDb?: string;
  domainName?: string;
  page: PageMode;
  notFoundLimit: number;
  trustProxy?: boolean;
  grace: number;
  allowWeakKey?: boolean;
  logLevel: LogLevel;
  quiet?: boolean;
}

export async function serveCommand(values: ServeValues): Promise<number> {
  const log = createLogger(effectiveLogLevel(values.logLevel, values.quiet));
  if (values.domainName !== undefined && !/^[A-Za-z0-9-]{1,63}$/.test(values.domainName)) {
    throw new MeetingTokensError('USAGE', '--domain-name: letters, digits and -, as in https://<name>.daily.co');
  }
  // The server signs every token it hands out, so it needs the key the batch would have used; the
  // demo key never serves (its tokens open nothing).
  const apiKey = loadApiKey(process.env, { allowWeakKey: values.allowWeakKey ?? false, demoAllowed: false });
  const { store, sqlitePath } = await openLinkSource(values.linksDb, process.env);
  // SQLite's writes go to a thread of their own; Redis's are network round trips already.
  const writer = sqlitePath === undefined ? undefined : await SqliteOpenWriter.start(sqlitePath, (counts) => store.recordOpens(counts));
  const signals = trapStopSignals();
  try {
    const metrics = new ServeMetrics();
    const { server, drain } = createLinkServer({
      source: {
        get: (id, now) => store.get(id, now),
        recordOpens: (counts) => (writer ?? store).recordOpens(counts),
      },
      sign: createSigner(apiKey.key),
      domainName: values.domainName,
      page: values.page,
      notFoundPerMinute: values.notFoundLimit,
      trustProxy: values.trustProxy ?? false,
      log,
      metrics,
    });
    server.listen(values.port, values.host);
    try {
      await Promise.race([once(server, 'listening'), signals.stopped]);
    } catch (error) {
      throw listenError(error as NodeJS.ErrnoException, values.port, values.host, ['--port', '--host']);
    }
    if (signals.received() === undefined) {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : values.port;
      log.info(
        {
          host: values.host,
          port,
          store: store.location,
          page: values.page,
          keyFingerprint: keyFingerprint(apiKey.key),
        },
        `serving links on http://${values.host}:${port}/j/`,
      );
      const signal = await signals.stopped;
      log.info({ signal }, `${signal}: finishing open requests (at most ${values.grace} s)`);
    }
    await drain(values.grace * 1000);
    log.info('serve stopped');
    return 0;
  } finally {
    await writer?.close();
    await store.close();
    signals.release();
  }
}
