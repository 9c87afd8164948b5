/**
 * Finds and reads a job file, validating it against the schema at start-up so that a mistake is
 * one clear line now rather than a failed batch later.
 */
import { readdirSync, existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { MeetingTokensError } from '../errors.js';
import { jobSchema, JOB_KEYS, NESTED_KEYS, type JobFile } from './job-schema.js';
import { nearest } from '../suggest.js';
import { parseJobYaml, readJobText } from './read-job-file.js';

export interface LoadedJob {
  name: string;
  file: string;
  job: JobFile;
}

const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const JOB_FILE = /\.ya?ml$/i;
/** Unknown keys named in one message; a file of thousands of them gets a count for the rest. */
const MAX_KEYS_LISTED = 10;

/** How a "not found" message tells the user to look elsewhere. */
const POINT_ELSEWHERE = 'give --jobs <dir> or set MEETING_TOKENS_JOBS, or run a job file by its path (ending in .yaml or .yml)';

/**
 * `weekly-standup` -> <jobsDir>/weekly-standup.yaml (or .yml); a path ending in .yaml or .yml is
 * that file, relative to the working directory. Returns an absolute path.
 */
export function findJobFile(nameOrPath: string, jobsDir: string): string {
  if (JOB_FILE.test(nameOrPath)) {
    const file = resolve(nameOrPath);
    if (existsSync(file)) return file;
    const inJobs = join(resolve(jobsDir), basename(nameOrPath));
    const hint = existsSync(inJobs) ? `; ${inJobs} exists: run it by name, ${basename(nameOrPath, extname(nameOrPath))}` : '';
    throw new MeetingTokensError('JOB_NOT_FOUND', `job file ${file} does not exist${hint}`, { file: nameOrPath });
  }
  if (!JOB_NAME.test(nameOrPath)) {
    throw new MeetingTokensError('USAGE', `"${nameOrPath}" is not a job name (letters, digits, . _ -) or a path ending in .yaml or .yml`);
  }
  const files = jobFiles(jobsDir).get(nameOrPath) ?? [];
  if (files.length > 1) {
    // Which one is the job is a guess either way, and a guess here runs the wrong batch.
    throw new MeetingTokensError(
      'CONFIG_INVALID',
      `job ${nameOrPath}: two files for one job, ${files.map((f) => join(jobsDir, f)).join(' and ')}; keep one`,
      { job: nameOrPath },
    );
  }
  if (files.length === 1) return resolve(jobsDir, files[0]!);
  const known = listJobNames(jobsDir);
  const hint = known.length > 0 ? `; jobs there: ${known.join(', ')}` : '';
  throw new MeetingTokensError(
    'JOB_NOT_FOUND',
    `no job "${nameOrPath}" in ${resolve(jobsDir)}/ (looked for ${nameOrPath}.yaml)${hint}; ${POINT_ELSEWHERE}`,
  );
}

/** The error for a jobs directory without job files (status, schedule). */
export function noJobFiles(jobsDir: string): MeetingTokensError {
  return new MeetingTokensError(
    'JOB_NOT_FOUND',
    `no job files (*.yaml) in ${resolve(jobsDir)}/; give --jobs <dir> or set MEETING_TOKENS_JOBS`,
  );
}

/** Every job name in `jobsDir`, once each, sorted. */
export function listJobNames(jobsDir: string): string[] {
  return [...jobFiles(jobsDir).keys()].sort();
}

/** Job name -> its file names in `jobsDir` (more than one is an error when the job is used). */
function jobFiles(jobsDir: string): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  let entries: string[];
  try {
    entries = readdirSync(jobsDir).sort();
  } catch {
    return byName;
  }
  for (const entry of entries) {
    if (!JOB_FILE.test(entry)) continue;
    const name = basename(entry, extname(entry));
    byName.set(name, [...(byName.get(name) ?? []), entry]);
  }
  return byName;
}

export function loadJob(file: string): LoadedJob {
  const name = basename(file, extname(file));
  const data = parseJobYaml(readJobText(file), file);
  const result = jobSchema.safeParse(data ?? {});
  if (!result.success) {
    throw new MeetingTokensError('CONFIG_INVALID', result.error.issues.map((i) => `${file}: ${describeIssue(i, data)}`).join('\n'), {
      file,
      job: name,
    });
  }
  return { name, file, job: result.data };
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const known = NESTED_KEYS[path] ?? NESTED_KEYS[path.replace(/\.\d+(?=\.|$)/g, '.*')] ?? JOB_KEYS;
    const more = issue.keys.length - MAX_KEYS_LISTED;
    return issue.keys
      .slice(0, MAX_KEYS_LISTED)
      .map((key) => {
        const guess = nearest(key, known);
        const full = path ? `${path}.${key}` : key;
        return `${full}: unknown key${guess ? ` (did you mean ${path ? `${path}.` : ''}${guess}?)` : ''}`;
      })
      .concat(more > 0 ? [`and ${more} more unknown keys`] : [])
      .join('; ');
  }
  if (issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined) return `${path}: is required`;
  return `${path || '(top level)'}: ${issue.message}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
