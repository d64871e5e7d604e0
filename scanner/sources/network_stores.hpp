#pragma once
// Network file systems and FUSE mounts (s3fs, gcsfuse, goofys, rclone, mountpoint-s3,
// NFS, SMB, ...), where every open, folder listing and stat waits on the network: a
// walk there is bound by the requests in flight, not by the CPU, and wants many at
// once, where on a local disk extra threads only cost.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfmc {

struct MountEntry {
  std::string mount_point;  // "/mnt/bucket"
  std::string type;         // "fuse.s3fs", "nfs4", "ext4"
};

// The mounts of /proc/self/mountinfo (empty if it cannot be read), and its parser.
std::vector<MountEntry> read_mountinfo();
std::vector<MountEntry> parse_mountinfo(std::string_view text);

// A mountinfo type that is a network file system or a FUSE store. fuseblk (a FUSE
// driver of a local disk, as ntfs-3g) is not.
bool is_network_type(std::string_view type);
// The same for a statfs f_type: null for a local file system, else a name ("fuse").
const char* network_file_system(unsigned long f_type);

// The network stores a walk of `roots` reads from: each root's own file system, and
// those mounted below a root (unless --one-file-system keeps the walk out of them).
std::vector<MountEntry> network_stores(const std::vector<std::string>& roots, bool one_file_system,
                                       const std::vector<MountEntry>& mounts);

// How many requests a sweep keeps in flight: threads that list folders and open files
// ahead of the scan (sources/folder_lister.hpp, sources/prefetch_source.hpp).
struct IoPlan {
  unsigned requests_in_flight = 0;       // 0: none, the scan threads open and read
  bool chosen = false;                   // picked for the stores below; false: --io-threads said
  std::vector<MountEntry> network_stores;  // the network and FUSE stores the walk reads from
};

// On a network store: enough to hide tens of milliseconds per request (rg needs -j64
// to get there by hand), few enough not to be throttled as abuse.
inline constexpr unsigned kNetworkRequestsInFlight = 64;

// `given`: --io-threads, if the user set it. Otherwise many requests in flight where a
// root is on, or a walk would cross into, a network store; none on local disks, where
// the scan threads' own reads are faster than any hand-off.
IoPlan plan_io(const std::vector<std::string>& roots, bool one_file_system, std::optional<unsigned> given);

}  // namespace sfmc
