// The ceiling for `serve`: a bare node:http server answering every request with the same 302 and
// the headers serve sends. Prints its port on stdout.
import { createServer } from 'node:http';

const location = `https://acme.daily.co/standup?t=${'x'.repeat(300)}`;
const headers = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff', location };
const server = createServer((req, res) => res.writeHead(302, headers).end());
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
