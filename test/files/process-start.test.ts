import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processStart } from '../../src/files/pid.js';

describe('process start', () => {
  it("is the process's start in clock ticks since boot, as ps reports it, so a reused pid is told apart", () => {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
    const elapsed = (): number => Number(execFileSync('ps', ['-o', 'etimes=', '-p', String(process.pid)], { encoding: 'utf8' }));
    const uptime = (): number => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    const started = uptime() - elapsed(); // seconds since boot, to within a second or two
    const start = processStart(process.pid);
    expect(start).toMatch(/^\d+$/);
    expect(Math.abs(Number(start) / ticks - started)).toBeLessThan(5);
    expect(processStart(999_999_999)).toBeUndefined();
  });
});
