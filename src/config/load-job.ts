/**
 * Finds and reads a job file, validating it against the schema at start-up so that a mistake is
 * one clear line now rather than a failed batch later.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { MeetingTokensError } from '../errors.js';
import { jobSchema, JOB_KEYS, DEFAULTS_KEYS, type JobFile } from './job-schema.js';
import { nearest } from './suggest.js';

export interface LoadedJob {
  name: string;
  file: string;
  job: JobFile;
}

const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** How a "not found" message tells the user to look elsewhere. */
const POINT_ELSEWHERE = 'give --jobs <dir> or set MEETING_TOKENS_JOBS, or run a job file by its path (ending in .yaml or .yml)';

/**
 * `weekly-standup` -> <jobsDir>/weekly-standup.yaml (or .yml); a path ending in .yaml or .yml is
 * that file, relative to the working directory. Returns an absolute path.
 */
export function findJobFile(nameOrPath: string, jobsDir: string): string {
  if (/\.ya?ml$/i.test(nameOrPath)) {
    const file = resolve(nameOrPath);
    if (existsSync(file)) return file;
    const inJobs = join(resolve(jobsDir), basename(nameOrPath));
    const hint = existsSync(inJobs) ? `; ${inJobs} exists: run it by name, ${basename(nameOrPath, extname(nameOrPath))}` : '';
    throw new MeetingTokensError('JOB_NOT_FOUND', `job file ${file} does not exist${hint}`, { file: nameOrPath });
  }
  if (!JOB_NAME.test(nameOrPath)) {
    throw new MeetingTokensError('USAGE', `"${nameOrPath}" is not a job name (letters, digits, . _ -) or a path ending in .yaml or .yml`);
  }
  for (const ext of ['.yaml', '.yml']) {
    const file = join(jobsDir, nameOrPath + ext);
    if (existsSync(file)) return resolve(file);
  }
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

export function listJobNames(jobsDir: string): string[] {
  try {
    return readdirSync(jobsDir)
      .filter((f) => /\.ya?ml$/i.test(f))
      .map((f) => basename(f, extname(f)))
      .sort();
  } catch {
    return [];
  }
}

export function loadJob(file: string): LoadedJob {
  const name = basename(file, extname(file));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MeetingTokensError('CONFIG_INVALID', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : '';
    const what = error instanceof Error ? error.message.split('\n')[0] : 'invalid YAML';
    throw new MeetingTokensError('CONFIG_INVALID', `${file}${where}: ${what}`, { file });
  }
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
    const known = path === 'defaults' ? DEFAULTS_KEYS : JOB_KEYS;
    return issue.keys
      .map((key) => {
        const guess = nearest(key, known);
        const full = path ? `${path}.${key}` : key;
        return `${full}: unknown key${guess ? ` (did you mean ${path ? `${path}.` : ''}${guess}?)` : ''}`;
      })
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
