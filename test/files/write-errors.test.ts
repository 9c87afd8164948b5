import { describe, expect, it } from 'vitest';
import { writeError } from '../../src/files/temp-file.js';
import { MeetingTokensError } from '../../src/errors.js';

const failure = (code?: string) => Object.assign(new Error('system message'), code === undefined ? {} : { code });

describe('write errors', () => {
  it.each([
    ['ENOSPC', 'the disk is full'],
    ['EDQUOT', 'the disk quota is used up'],
    ['EACCES', 'permission denied'],
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
});
