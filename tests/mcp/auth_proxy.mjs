// A loopback HTTP proxy for the MCP conformance suite, which has no option to send an Authorization header:
// it forwards every request to GPU Deck unchanged (method, path, body, and every header the suite sent, Host and
// Origin included, so the suite's DNS-rebinding checks still reach GPU Deck's guard) and adds only
// `Authorization: Bearer $API_SERVER_KEY`. GPU Deck itself is not changed for the test in any way.
//
// Usage: node auth_proxy.mjs <target port>   (prints "listening <port>" once ready)
import http from 'node:http';

const target = Number(process.argv[2]);
const token = process.env.API_SERVER_KEY;
if (!target || !token) {
  console.error('usage: API_SERVER_KEY=... node auth_proxy.mjs <target port>');
  process.exit(2);
}

const server = http.createServer((req, res) => {
  const headers = { ...req.headers, authorization: `Bearer ${token}` };
  const upstream = http.request(
    { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers, setHost: false },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
  upstream.on('error', (e) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: ${e.message}`);
  });
  req.pipe(upstream);
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
