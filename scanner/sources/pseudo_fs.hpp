#pragma once
// Kernel file systems whose files are generated as they are read: /proc/self/task/N/
// pagemap never ends, sysfs attributes can block, and st_size says nothing (often 0).
namespace sfmc {

// The file system's name when the open descriptor `fd` is on one of those, else null.
const char* pseudo_file_system(int fd);

// A file named on the command line that lives on one is read up to this many bytes.
inline constexpr unsigned long long kPseudoFileBound = 16ull << 20;

}  // namespace sfmc
