// Smart HTTP for the fleet test: `git http-backend` (a CGI program) behind a small HTTP
// server on 127.0.0.1. Usage: node git_http_server.js PROJECT_ROOT PORT_FILE
// Writes the port it listens on to PORT_FILE; serves until killed.
'use strict';
const http = require('http');
const { spawn } = require('child_process');
const [root, portFile] = process.argv.slice(2);

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const env = Object.assign({}, process.env, {
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    REQUEST_METHOD: req.method,
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] || '',
    REMOTE_ADDR: '127.0.0.1',
    GIT_PROTOCOL: req.headers['git-protocol'] || '',
  });
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
  const cgi = spawn('git', ['http-backend'], { env });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0), headersDone = false;
  cgi.stdout.on('data', (chunk) => {
    if (headersDone) return res.write(chunk);
    head = Buffer.concat([head, chunk]);
    let end = head.indexOf('\r\n\r\n'), sep = 4;
    if (end < 0) { end = head.indexOf('\n\n'); sep = 2; }
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.slice(0, end).toString().split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const name = line.slice(0, i).trim(), value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') status = parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.slice(end + sep));
  });
  cgi.stdout.on('end', () => { if (!headersDone) res.writeHead(502); res.end(); });
  cgi.on('error', () => { res.writeHead(500); res.end(); });
});
server.listen(0, '127.0.0.1', () => {
  require('fs').writeFileSync(portFile, String(server.address().port));
});
