/** A real HTTP receiver on loopback that records every request and answers as a test tells it. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  base: string;
  requests: Received[];
  close: () => Promise<void>;
}

/**
 * `answer` gets each request and its index (0 first) and answers through `res`; one that never
 * calls `res.end` is a receiver that never answers.
 */
export async function startReceiver(answer: (request: Received, index: number, res: ServerResponse) => void): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      answer(request, requests.length - 1, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Answers every request with `status`. */
export function answering(status: number): (request: Received, index: number, res: ServerResponse) => void {
  return (_request, _index, res) => res.writeHead(status).end();
}
