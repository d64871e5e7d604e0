#!/usr/bin/env python3
"""Writes a hostile PDF whose secret sits on a page a careless reader never reaches.

  hostile_pdf.py bomb TOKEN OUT [BYTES]  page 1 inflates to BYTES of spaces (a Flate
                                          bomb), the token is shown on page 2
  hostile_pdf.py loop TOKEN OUT          the page tree loops (/Pages 4 is its own
                                          grandparent); the token is on the page before
  hostile_pdf.py deep TOKEN OUT          the catalog holds an array nested 100,000 deep

The token's page content is Flate-compressed, so it is found only by decoding.
write_pdf() is the object-by-object writer the other PDF tests import.
"""
import sys
import zlib


def flate_spaces(n):
    c = zlib.compressobj(9)
    chunk = b" " * (1 << 24)
    parts = []
    while n > 0:
        k = min(n, len(chunk))
        parts.append(c.compress(chunk[:k]))
        n -= k
    parts.append(c.flush())
    return b"".join(parts)


def stream(data, filtered=True):
    """A stream object: `data` as it lies in the file, Flate-compressed when `filtered`."""
    flate = b" /Filter /FlateDecode" if filtered else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(data), flate) + data + b"\nendstream"


def write_pdf(objs, out):
    """Writes objects 1..N (object 1 the catalog) with their cross-reference table."""
    data = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        data += b"%010d 00000 n \n" % off
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    with open(out, "wb") as f:
        f.write(data)


def page(contents):
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R >>" % contents


def main():
    kind, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shown = stream(zlib.compress(f"BT /F1 12 Tf 72 720 Td ({token}) Tj ET".encode()))
    if kind == "bomb":
        size = int(sys.argv[4]) if len(sys.argv) > 4 else 2_000_000_000
        objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
                page(5), page(6), stream(flate_spaces(size)), shown]
    elif kind == "loop":
        objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>", page(5),
                b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>", shown]
    elif kind == "deep":
        objs = [b"<< /Type /Catalog /Pages 2 0 R /Junk " + b"[" * 100000 + b"]" * 100000 + b" >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(4), shown]
    else:
        sys.exit(f"unknown kind {kind}")
    write_pdf(objs, out)


if __name__ == "__main__":
    main()
