#include "sources/network_stores.hpp"

#include <sys/vfs.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sources/bucket/s3_location.hpp"

namespace sfmc {

namespace {

// mountinfo writes a space, tab, newline or backslash in a path as \ooo.
std::string unescape(std::string_view field) {
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() &&
        std::all_of(field.begin() + static_cast<long>(i) + 1, field.begin() + static_cast<long>(i) + 4,
                    [](char c) { return c >= '0' && c <= '7'; })) {
      out += static_cast<char>(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0'));
      i += 3;
    } else {
      out += field[i];
    }
  }
  return out;
}

// `path` is `dir` or below it, component-wise.
bool at_or_below(const std::string& path, const std::string& dir) {
  if (dir == "/") return !path.empty() && path[0] == '/';
  return path.compare(0, dir.size(), dir) == 0 && (path.size() == dir.size() || path[dir.size()] == '/');
}

}  // namespace

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
  // "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw": the mount
  // point is the 5th field; the type follows the " - " that ends the optional fields.
  std::vector<MountEntry> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;) f.push_back(std::move(w));
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 5 || dash == f.end() || dash + 1 == f.end() || dash - f.begin() < 6) continue;
    out.push_back({unescape(f[4]), *(dash + 1)});
  }
  return out;
}

std::vector<MountEntry> read_mountinfo() {
  std::ifstream in("/proc/self/mountinfo");
  std::stringstream text;
  text << in.rdbuf();
  return parse_mountinfo(text.str());
}

bool is_network_type(std::string_view type) {
  if (type == "fuse" || (type.rfind("fuse.", 0) == 0)) return true;  // fuse.s3fs, fuse.rclone, fuse.gcsfuse, fuse.sshfs
  static constexpr std::string_view kNetwork[] = {"nfs",   "nfs4",   "cifs",      "smb3",  "smbfs",  "9p",    "afs",
                                                  "lustre", "ceph",  "glusterfs", "gpfs",  "beegfs", "coda",  "ncpfs",
                                                  "davfs", "orangefs", "pvfs2"};
  return std::find(std::begin(kNetwork), std::end(kNetwork), type) != std::end(kNetwork);
}

const char* network_file_system(unsigned long f_type) {
  // Magic numbers from linux/magic.h and the file systems' sources.
  switch (f_type) {
    case 0x65735546: return "fuse";
    case 0x6969: return "nfs";
    case 0xff534d42: return "cifs";
    case 0xfe534d42: return "smb2";
    case 0x517b: return "smbfs";
    case 0x01021997: return "9p";
    case 0x5346414f: return "afs";
    case 0x6b414653: return "afs";
    case 0x0bd00bd0: return "lustre";
    case 0x00c36400: return "ceph";
    case 0x47504653: return "gpfs";
    case 0x73757245: return "coda";
    case 0x564c: return "ncpfs";
    default: return nullptr;
  }
}

std::vector<MountEntry> network_stores(const std::vector<std::string>& roots, bool one_file_system,
                                       const std::vector<MountEntry>& mounts) {
  std::vector<MountEntry> out;
  auto add = [&out](MountEntry e) {
    if (std::none_of(out.begin(), out.end(), [&](const MountEntry& o) { return o.mount_point == e.mount_point; }))
      out.push_back(std::move(e));
  };
  for (const std::string& root : roots) {
    if (root == "-") continue;
    char resolved[PATH_MAX];
    if (!::realpath(root.c_str(), resolved)) continue;  // the walk reports it
    const std::string path = resolved;
    // The root's own file system: the deepest mount holding it names it.
    const MountEntry* own = nullptr;
    for (const MountEntry& m : mounts)
      if (at_or_below(path, m.mount_point) && (!own || m.mount_point.size() >= own->mount_point.size())) own = &m;
    struct statfs fs {};
    const char* magic = ::statfs(path.c_str(), &fs) == 0 ? network_file_system(static_cast<unsigned long>(fs.f_type)) : nullptr;
    if (own && is_network_type(own->type)) add(*own);
    else if (magic && !(own && own->type == "fuseblk")) add({own ? own->mount_point : path, magic});
    if (one_file_system) continue;
    for (const MountEntry& m : mounts)
      if (m.mount_point != path && at_or_below(m.mount_point, path) && is_network_type(m.type)) add(m);
  }
  return out;
}

IoPlan plan_io(const std::vector<std::string>& roots, bool one_file_system, std::optional<unsigned> given) {
  IoPlan plan;
  plan.network_stores = network_stores(roots, one_file_system, read_mountinfo());
  // A bucket read over its API waits on the network for every request too.
  for (const std::string& root : roots)
    if (is_bucket_url(root)) plan.network_stores.push_back({root, root.substr(0, 2)});
  if (given) {
    plan.requests_in_flight = *given;
  } else {
    plan.chosen = true;
    plan.requests_in_flight = plan.network_stores.empty() ? 0 : kNetworkRequestsInFlight;
  }
  return plan;
}

}  // namespace sfmc
