#include <catch2/catch.hpp>

#include <filesystem>

#include "sources/network_stores.hpp"
#include "support.hpp"

using namespace sfmc;
namespace fs = std::filesystem;

TEST_CASE("mountinfo lines give each mount's point and type, escapes undone", "[network_stores]") {
  const std::string text =
      "21 26 0:20 / /proc rw,relatime - proc proc rw\n"
      "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"
      "90 26 0:48 / /mnt/my\\040bucket rw,nosuid,nodev,relatime shared:7 - fuse.s3fs s3fs rw,user_id=0\n"
      "garbage\n";
  std::vector<MountEntry> m = parse_mountinfo(text);
  REQUIRE(m.size() == 3);
  CHECK(m[0].mount_point == "/proc");
  CHECK(m[0].type == "proc");
  CHECK(m[1].mount_point == "/mnt/parent");
  CHECK(m[1].type == "ext3");
  CHECK(m[2].mount_point == "/mnt/my bucket");
  CHECK(m[2].type == "fuse.s3fs");
}

TEST_CASE("network and FUSE stores are told from local file systems", "[network_stores]") {
  for (const char* t : {"fuse", "fuse.s3fs", "fuse.rclone", "fuse.gcsfuse", "fuse.mountpoint-s3", "nfs", "nfs4", "cifs", "smb3", "9p", "ceph", "lustre"})
    CHECK(is_network_type(t));
  for (const char* t : {"ext4", "xfs", "btrfs", "tmpfs", "overlay", "fuseblk", "proc", "fusectl", "zfs"}) CHECK_FALSE(is_network_type(t));
  CHECK(std::string(network_file_system(0x65735546)) == "fuse");
  CHECK(std::string(network_file_system(0x6969)) == "nfs");
  CHECK(network_file_system(0xEF53) == nullptr);  // ext4
  CHECK(network_file_system(0x01021994) == nullptr);  // tmpfs
}

TEST_CASE("the stores a walk reads: a root's own, and those mounted below a root", "[network_stores]") {
  test::TempDir d;
  d.write("local/a.txt", "x");
  d.write("bucket/b.txt", "x");
  d.write("disk/c.txt", "x");
  const std::string root = fs::canonical(d.path()).string();
  // The test's tree is on a local file system; the mount table says what is mounted
  // below it, as /proc/self/mountinfo would.
  std::vector<MountEntry> mounts = {{"/", "ext4"}, {root + "/bucket", "fuse.s3fs"}, {root + "/disk", "fuseblk"}};

  std::vector<MountEntry> below = network_stores({root}, false, mounts);
  REQUIRE(below.size() == 1);
  CHECK(below[0].mount_point == root + "/bucket");
  CHECK(below[0].type == "fuse.s3fs");
  // --one-file-system: the walk does not go there.
  CHECK(network_stores({root}, true, mounts).empty());
  // A root on the store itself, given by a path that is not canonical.
  std::vector<MountEntry> own = network_stores({root + "/local/../bucket/"}, true, mounts);
  REQUIRE(own.size() == 1);
  CHECK(own[0].mount_point == root + "/bucket");
  // A file on it, named twice: one store.
  CHECK(network_stores({root + "/bucket/b.txt", root + "/bucket"}, true, mounts).size() == 1);
  // Local roots, a missing one, standard input: none, and none chosen.
  CHECK(network_stores({root + "/local", root + "/disk", root + "/nope", "-"}, false, mounts).empty());
  IoPlan local = plan_io({root + "/local"}, false, std::nullopt);
  CHECK(local.chosen);
  CHECK(local.requests_in_flight == 0);
  IoPlan given = plan_io({root + "/local"}, false, 12u);
  CHECK_FALSE(given.chosen);
  CHECK(given.requests_in_flight == 12);
}
