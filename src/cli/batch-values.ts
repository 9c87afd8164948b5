/** The batch settings `run` and `check` share (declared once in commands.ts), as parsed and as a run's flags. */
import type { RunFlags } from '../config/run-config.js';
import type { EncodingLabel } from '../roster/encoding.js';
import type { ProfileName } from '../output/profiles.js';
import type { OutputFormat } from '../output/layout.js';

export interface BatchValues {
  roster?: string;
  delimiter?: string;
  encoding?: EncodingLabel;
  out?: string;
  domainId?: string;
  domainName?: string;
  ttl?: string;
  maxTtl?: string;
  allowAllRooms?: boolean;
  maxRejectRatio?: string;
  maxTokenLength?: number;
  column?: string[];
  strictColumns?: boolean;
  allowEmpty?: boolean;
  checkRooms?: boolean;
  ensureRooms?: boolean;
  profile?: ProfileName;
  format?: OutputFormat;
  timezone?: string;
  locale?: string;
  timeFormat?: string;
  timezoneColumn?: string;
  localeColumn?: string;
  groupBy?: string;
  maxLinksPerRecipient?: number;
  linksBaseUrl?: string;
  linksDb?: string;
}

export function batchFlags(values: BatchValues): RunFlags {
  return {
    roster: values.roster,
    delimiter: values.delimiter,
    encoding: values.encoding,
    out: values.out,
    domainId: values.domainId,
    domainName: values.domainName,
    ttl: values.ttl,
    maxTtl: values.maxTtl,
    allowAllRooms: values.allowAllRooms,
    maxRejectRatio: values.maxRejectRatio,
    maxTokenLength: values.maxTokenLength,
    columns: values.column,
    strictColumns: values.strictColumns,
    allowEmpty: values.allowEmpty,
    checkRooms: values.checkRooms,
    ensureRooms: values.ensureRooms,
    profile: values.profile,
    format: values.format,
    timezone: values.timezone,
    locale: values.locale,
    timeFormat: values.timeFormat,
    timezoneColumn: values.timezoneColumn,
    localeColumn: values.localeColumn,
    groupBy: values.groupBy,
    maxLinks: values.maxLinksPerRecipient,
    linksBaseUrl: values.linksBaseUrl,
    linksDb: values.linksDb,
  };
}
