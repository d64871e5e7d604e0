#!/usr/bin/env python3
"""The tests' own unreliable store: an HTTP proxy in front of an S3 endpoint that passes
each request on unchanged (its signature still holds: the Host header is kept), except:

    store_proxy.py UPSTREAM_PORT [--port N] [--slow-down N] [--gone NAME] [--stale NAME]

--slow-down N: the first N requests for each path are answered 503 SlowDown, as S3
throttles (a client must try again);
--gone NAME: a GET of an object whose path holds NAME is answered 404 NoSuchKey, as
when the object was deleted between the listing and the read;
--stale NAME: listings give objects whose key holds NAME another ETag than theirs, as
when the object was rewritten between the listing and the read (the store answers a
read of the version listed 412 PreconditionFailed itself).
Prints "PORT n" once listening on 127.0.0.1. Logs each answer it made up to stderr."""
import argparse, http.client, re, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

seen, lock = {}, threading.Lock()


def xml_error(code, message):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>'
            % (code, message)).encode()


class Proxy(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        self.send_response(status)
        self.send_header('Content-Type', 'application/xml')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        print('made up %d for %s' % (status, self.path), file=sys.stderr, flush=True)

    def do_GET(self):
        path = self.path.split('?')[0]
        with lock:
            seen[path] = seen.get(path, 0) + 1
            n = seen[path]
        if n <= a.slow_down:
            return self.answer(503, xml_error('SlowDown', 'Please reduce your request rate.'))
        if any(g in unquote(path) for g in a.gone) and '?' not in self.path:
            return self.answer(404, xml_error('NoSuchKey', 'The specified key does not exist.'))
        up = http.client.HTTPConnection('127.0.0.1', a.upstream, timeout=60)
        up.putrequest('GET', self.path, skip_host=True, skip_accept_encoding=True)
        for k, v in self.headers.items():
            up.putheader(k, v)
        up.endheaders()
        r = up.getresponse()
        body = r.read()
        if a.stale and '?' in self.path and r.status == 200:
            body = re.sub(rb'<Contents>.*?</Contents>', self.stale_etag, body, flags=re.S)
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ('transfer-encoding', 'connection', 'content-length'):
                self.send_header(k, v)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        up.close()

    @staticmethod
    def stale_etag(m):
        block = m.group(0)
        key = unquote(re.search(rb'<Key>(.*?)</Key>', block, re.S).group(1).decode())
        if not any(s in key for s in a.stale):
            return block
        print('made up a stale ETag for %s' % key, file=sys.stderr, flush=True)
        return re.sub(rb'<ETag>.*?</ETag>', b'<ETag>&quot;0123456789abcdef0123456789abcdef&quot;</ETag>', block, flags=re.S)


ap = argparse.ArgumentParser()
ap.add_argument('upstream', type=int)
ap.add_argument('--port', type=int, default=0)
ap.add_argument('--slow-down', type=int, default=0)
ap.add_argument('--gone', action='append', default=[])
ap.add_argument('--stale', action='append', default=[])
a = ap.parse_args()
ThreadingHTTPServer.allow_reuse_address = True
srv = ThreadingHTTPServer(('127.0.0.1', a.port), Proxy)
print('PORT %d' % srv.server_address[1], flush=True)
srv.serve_forever()
