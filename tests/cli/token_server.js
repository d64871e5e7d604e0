// Plays the Marketing Cloud token endpoint on 127.0.0.1 for the --verify tests. Prints
// its port, then answers POST /v2/token by client id: the known live pair gets 200 with
// an access token; "slow..." answers after 3 s; "limited..." gets 429; "broken..." 500;
// anything else 401 invalid_client. Logs every request to requests.log.
const http = require('http');
const fs = require('fs');
const live = { id: process.argv[2], secret: process.argv[3] };
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    let j = {};
    try { j = JSON.parse(body); } catch (e) {}
    fs.appendFileSync('requests.log', `${req.method} ${req.url} ${j.client_id}\n`);
    const reply = (status, obj) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(obj)); };
    if (req.method !== 'POST' || req.url !== '/v2/token' || j.grant_type !== 'client_credentials') return reply(400, { error: 'invalid_request' });
    const id = j.client_id || '';
    if (id.startsWith('slow')) return setTimeout(() => reply(200, { access_token: 'late' }), 3000);
    if (id.startsWith('limited')) return reply(429, { error: 'too_many_requests' });
    if (id.startsWith('broken')) return reply(500, { error: 'server_error' });
    if (id === live.id && j.client_secret === live.secret) return reply(200, { access_token: 'tok', expires_in: 1080 });
    return reply(401, { error: 'invalid_client' });
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
setTimeout(() => process.exit(0), 60000);  // never outlives its test
