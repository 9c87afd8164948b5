import { describe, expect, it } from 'vitest';
import { writeError } from '../../src/files/temp-file.js';
import { stateError } from '../../src/state/state-file.js';
import { MeetingTokensError } from '../../src/errors.js';

const failure = (code?: string) => Object.assign(new Error('system message'), code === undefined ? {} : { code });

describe('write errors', () => {
  it.each([
    ['ENOSPC', 'the disk is full'],
    ['EDQUOT', 'the disk quota is used up'],
    ['EACCES', 'permission denied'],
    ['EPERM', 'permission denied'],
    ['EROFS', 'the file system is read-only'],
    ['ENOTDIR', 'not a directory'],
    ['ENOENT', 'it does not exist (renamed or deleted during the run?)'],
    ['EIO', 'EIO'],
    [undefined, 'error'],
  ])('%s: one line saying what happened and that nothing was published', (code, why) => {
    expect(writeError(failure(code), '/srv/out')).toMatchObject({
      code: 'WRITE_FAILED',
      message: `cannot write to /srv/out: ${why}; nothing was published`,
      context: { file: '/srv/out' },
    });
  });

  it('a final name already taken: the file named, nothing replaced', () => {
    expect(writeError(failure('EEXIST'), '/srv/out', 'weekly.csv')).toMatchObject({
      code: 'OUTPUT_EXISTS',
      message: '/srv/out/weekly.csv already exists; nothing was replaced, run again',
      context: { file: 'weekly.csv' },
    });
  });

  it('an error already explained passes through unchanged', () => {
    const explained = new MeetingTokensError('ABORTED', 'run aborted (SIGTERM); nothing was published');
    expect(writeError(explained, '/srv/out', 'weekly.csv')).toBe(explained);
  });

  it('a final name given, but another failure: still the failure, not "already exists"', () => {
    expect(writeError(failure('ENOSPC'), '/srv/out', 'weekly.csv')).toMatchObject({
      code: 'WRITE_FAILED',
      message: 'cannot write to /srv/out: the disk is full; nothing was published',
    });
  });

  it('the same failure in the state directory is worded for the state directory', () => {
    expect(stateError(writeError(failure('ENOSPC'), '/srv/state'), '/srv/state')).toMatchObject({
      code: 'STATE_FAILED',
      message: 'cannot use the state directory /srv/state: the disk is full',
      context: { file: '/srv/state' },
    });
    const explained = new MeetingTokensError('LOCK_LOST', 'lost the lock');
    expect(stateError(explained, '/srv/state')).toBe(explained);
  });
});
