// Runs a command and measures it from outside: wall time, CPU time (user + system) and peak
// RSS (VmHWM), sampled from /proc while it runs (Linux). Threads share the process, so worker
// threads are included.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function sample(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime + stime
    return { hwm, cpu };
  } catch {
    return undefined; // the process has just ended
  }
}

/** Resolves with { wall, cpu, peakRss, code, stderr } once the command exits. */
export function measure(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let last = { hwm: 0, cpu: 0 };
    const timer = setInterval(() => {
      const s = sample(child.pid);
      if (s) last = { hwm: Math.max(last.hwm, s.hwm), cpu: s.cpu };
    }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ wall: (performance.now() - started) / 1000, cpu: last.cpu, peakRss: last.hwm, code, stderr });
    });
  });
}
