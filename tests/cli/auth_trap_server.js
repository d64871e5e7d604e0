// A server that wants credentials, for tests/cli/git_credentials.sh: it records every
// Authorization header it is sent, so a test can tell whether a credential left the
// scanner. Usage: node auth_trap_server.js LOG_FILE PORT_FILE
//   /trap/...      401 with a Basic challenge, always
//   /redirect/...  302 to http://localhost:PORT/trap/... (another host name, same server)
'use strict';
const http = require('http');
const fs = require('fs');
const [log, portFile] = process.argv.slice(2);
fs.writeFileSync(log, '');
const server = http.createServer((req, res) => {
  if (req.headers.authorization) fs.appendFileSync(log, `${req.headers.host} ${req.url} ${req.headers.authorization}\n`);
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname.startsWith('/redirect/')) {
    res.writeHead(302, { Location: `http://localhost:${server.address().port}/trap/${req.url.slice('/redirect/'.length)}` });
    return res.end();
  }
  res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="trap"' });
  res.end('credentials, please\n');
});
server.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, String(server.address().port)));
