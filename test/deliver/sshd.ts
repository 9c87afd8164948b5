/**
 * A real OpenSSH server for delivery tests: `/usr/sbin/sshd -D -e` on a free loopback port, with
 * a temporary host key, a user key in authorized_keys and its own sshd_config. Its SFTP server
 * (sftp-server -l INFO) logs each open, rename and close to a file: the order of operations.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, tempDir } from '../helpers.js';

export interface Sshd {
  port: number;
  user: string;
  dir: string;
  /** The user's private key file. */
  keyFile: string;
  hostKeyFingerprint: string;
  /** sshd's stderr so far: connections. */
  log: () => string;
  /** The SFTP server's log so far: every open, rename and close. */
  sftpLog: () => string;
  /** Kills the listener and every session process it started (by pid). */
  kill: () => Promise<void>;
  /** Starts sshd again on the same port with the same keys. */
  restart: () => Promise<void>;
}

function keygen(path: string): void {
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr}`);
}

export function fingerprintOf(pubFile: string): string {
  return spawnSync('ssh-keygen', ['-lf', pubFile], { encoding: 'utf8' }).stdout.split(' ')[1]!;
}

/** Every process descended from `pid` (sshd forks a process per connection). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const all: number[] = [];
  const visit = (p: number): void => {
    for (const child of children.get(p) ?? []) {
      all.push(child);
      visit(child);
    }
  };
  visit(pid);
  return all;
}

export async function startSshd(): Promise<Sshd> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
  const dir = tempDir('mt-sshd-');
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'user_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  const port = await freePort();
  const user = userInfo().username;
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      // The test's temp directory is not a home directory with sshd's required modes.
      'StrictModes no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      // The SFTP server's own log of each open, rename and close, in order (sshd runs the line through a shell).
      `Subsystem sftp /usr/lib/openssh/sftp-server -e -l INFO 2>>${join(dir, 'sftp.log')}`,
      'LogLevel INFO',
      '',
    ].join('\n'),
  );
  let stderr = '';
  let child: ChildProcess;
  const start = async (): Promise<void> => {
    child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 20_000;
    while (!stderr.includes(`listening on 127.0.0.1 port ${port}`)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sshd did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await start();
  return {
    port,
    user,
    dir,
    keyFile: join(dir, 'user_key'),
    hostKeyFingerprint: fingerprintOf(join(dir, 'host_key.pub')),
    log: () => stderr,
    sftpLog: () => (existsSync(join(dir, 'sftp.log')) ? readFileSync(join(dir, 'sftp.log'), 'utf8') : ''),
    kill: async () => {
      const pids = [child.pid!, ...descendants(child.pid!)];
      for (const pid of pids.reverse()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
    restart: start,
  };
}
