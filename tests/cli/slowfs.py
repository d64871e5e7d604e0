#!/usr/bin/python3
"""The tests' own slow store: a read-only FUSE view of SOURCE whose operations wait as a
bucket behind s3fs or gcsfuse does, and whose listings give no entry types (as such
file systems often answer), so a walk must learn them.

    slowfs.py SOURCE MOUNTPOINT [--list-ms N] [--open-ms N] [--stat-ms N] [--read-ms N]
    fusermount3 -u MOUNTPOINT

--list-ms: each folder listing; --open-ms: each open; --stat-ms: each stat of a path (a
HEAD request on s3fs); --read-ms: each read of a 1 MiB range not read before.
--stall NAME: a read of a file, or a listing of a folder, whose path holds NAME never
answers (a store that hangs);
--stall-late NAME: the same for reads past the first MiB of a file whose path holds NAME
(a store that hangs mid-file);
--vanish NAME: a file whose path holds NAME is listed, but gone when opened or stat'ed
(deleted between the listing and the open).
Writes a line "ready" to stdout once mounted. Needs /dev/fuse and python3-fusepy."""
import argparse, errno, os, sys, threading, time
from fusepy import FUSE, FuseOSError, Operations


class SlowFS(Operations):
    def __init__(self, root, a):
        self.root = root
        self.stall, self.stall_late, self.vanish = a.stall, a.stall_late, a.vanish
        self.list_s, self.open_s, self.stat_s, self.read_s = (a.list_ms / 1000, a.open_ms / 1000,
                                                               a.stat_ms / 1000, a.read_ms / 1000)
        self.lock = threading.Lock()
        self.fetched = {}  # fh -> 1 MiB ranges read

    def _p(self, path):
        return os.path.join(self.root, path.lstrip('/'))

    def init(self, path):
        print('ready', flush=True)

    def _vanished(self, path):
        return any(v in path for v in self.vanish)

    def getattr(self, path, fh=None):
        if fh is None and path != '/':
            time.sleep(self.stat_s)
        if self._vanished(path):
            raise FuseOSError(errno.ENOENT)
        try:
            st = os.lstat(self._p(path))
        except OSError as e:
            raise FuseOSError(e.errno)
        return {k: getattr(st, k) for k in ('st_atime', 'st_ctime', 'st_gid', 'st_mode',
                                             'st_mtime', 'st_nlink', 'st_size', 'st_uid', 'st_ino')}

    def readdir(self, path, fh):
        if any(n in path for n in self.stall):
            time.sleep(3600)
        time.sleep(self.list_s)
        try:
            return ['.', '..'] + os.listdir(self._p(path))  # names only: no types
        except OSError as e:
            raise FuseOSError(e.errno)

    def readlink(self, path):
        return os.readlink(self._p(path))

    def open(self, path, flags):
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise FuseOSError(errno.EROFS)
        time.sleep(self.open_s)
        if self._vanished(path):
            raise FuseOSError(errno.ENOENT)
        try:
            fh = os.open(self._p(path), os.O_RDONLY)
        except OSError as e:
            raise FuseOSError(e.errno)
        with self.lock:
            self.fetched[fh] = set()
        return fh

    def read(self, path, size, offset, fh):
        if any(n in path for n in self.stall) or (offset >= 1 << 20 and any(n in path for n in self.stall_late)):
            time.sleep(3600)
        first, last = offset >> 20, (offset + max(size, 1) - 1) >> 20
        with self.lock:
            seen = self.fetched.setdefault(fh, set())
            new = [r for r in range(first, last + 1) if r not in seen]
            seen.update(new)
        if new:
            time.sleep(self.read_s)
        return os.pread(fh, size, offset)

    def release(self, path, fh):
        with self.lock:
            self.fetched.pop(fh, None)
        os.close(fh)

    def statfs(self, path):
        st = os.statvfs(self._p(path))
        return {k: getattr(st, k) for k in ('f_bavail', 'f_bfree', 'f_blocks', 'f_bsize', 'f_favail',
                                             'f_ffree', 'f_files', 'f_flag', 'f_frsize', 'f_namemax')}


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('source'); ap.add_argument('mountpoint')
    for name in ('list', 'open', 'stat', 'read'):
        ap.add_argument('--%s-ms' % name, type=float, default=0)
    ap.add_argument('--stall', action='append', default=[])
    ap.add_argument('--stall-late', action='append', default=[])
    ap.add_argument('--vanish', action='append', default=[])
    a = ap.parse_args()
    FUSE(SlowFS(os.path.abspath(a.source), a), a.mountpoint, foreground=True, nothreads=False, ro=True)
