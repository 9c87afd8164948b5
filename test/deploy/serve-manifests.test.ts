import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT, runCli } from '../helpers.js';

interface Doc {
  kind: string;
  spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Kubernetes objects read loosely
}

// The deploy files' serve command lines are parsed by the CLI as written (an option renamed in
// the CLI and not in the files fails here); a missing store file is the expected stop.
async function expectParsed(args: string[]): Promise<void> {
  expect(args[0]).toBe('serve');
  const result = await runCli([...args, '--links-db', '/nonexistent/links.db'], {
    env: { LINKS_REDIS_URL: undefined, REDIS_URL: undefined },
  });
  expect([result.code, result.stderr]).toEqual([2, expect.stringContaining('/nonexistent/links.db: no such file')]);
}

describe('deploy files for serve', () => {
  it('Kubernetes: two replicas on the links Redis with the key from a Secret, a Service, an Ingress terminating TLS for /j/', async () => {
    const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy/kubernetes/serve.yaml'), 'utf8')).map((d) => d.toJS() as Doc);
    const deployment = docs.find((d) => d.kind === 'Deployment')!;
    expect(deployment.spec['replicas']).toBe(2);
    const container = deployment.spec['template'].spec.containers[0];
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'LINKS_REDIS_URL', value: 'redis://links-redis:6379' },
        { name: 'DAILY_API_KEY_FILE', value: '/run/secrets/daily/daily_api_key' },
      ]),
    );
    await expectParsed(container.args);
    expect(docs.filter((d) => d.kind === 'Service').map((d) => d.spec['selector'].app)).toEqual(['links-redis', 'meeting-tokens-serve']);
    const ingress = docs.find((d) => d.kind === 'Ingress')!;
    expect(ingress.spec['tls'][0].hosts).toEqual([ingress.spec['rules'][0].host]);
    expect(ingress.spec['rules'][0].http.paths.map((p: { path: string }) => p.path)).toEqual(['/j/']);
    const redis = docs.find((d) => d.kind === 'StatefulSet')!;
    expect(redis.spec['template'].spec.containers[0].args).toContain('--appendonly');
  });

  it('compose: two serve replicas on a persisted Redis, behind the TLS proxy', async () => {
    const compose = parse(readFileSync(join(ROOT, 'deploy/docker-compose.yml'), 'utf8')) as { services: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- read loosely
    const serve = compose.services['serve'];
    expect(serve.deploy.replicas).toBe(2);
    expect(serve.environment.LINKS_REDIS_URL).toBe('redis://links-redis:6379');
    await expectParsed(serve.command);
    expect(compose.services['links-redis'].command).toContain('--appendonly');
    expect(readFileSync(join(ROOT, 'deploy/Caddyfile'), 'utf8')).toMatch(/dynamic a serve 8080/);
  });
});
