// C++ allocations of the sfmc-scan binary go to oneTBB's scalable allocator: a file-tree
// scan makes a few dozen small allocations per input (paths, chains, results) from
// every thread, and glibc's malloc and free were 5 % of a scan's samples.
//
// Only operator new and delete are replaced. malloc stays glibc's: interposing malloc
// itself (mimalloc linked in, 2fbd6f8) made glibc abort at thread exit in multi-
// repository git scans, because memory then crosses allocators. Every C++ allocation in
// the process, libraries' included, comes here and goes back here, so none crosses.
#include <oneapi/tbb/scalable_allocator.h>

#include <cstddef>
#include <new>

namespace {

void* allocate(std::size_t size) {
  if (size == 0) size = 1;
  while (true) {
    if (void* p = scalable_malloc(size)) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

void* allocate_aligned(std::size_t size, std::align_val_t align) {
  if (size == 0) size = 1;
  while (true) {
    if (void* p = scalable_aligned_malloc(size, static_cast<std::size_t>(align))) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t size, std::align_val_t align) { return allocate_aligned(size, align); }
void* operator new[](std::size_t size, std::align_val_t align) { return allocate_aligned(size, align); }
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  try {
    return allocate_aligned(size, align);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  try {
    return allocate_aligned(size, align);
  } catch (...) {
    return nullptr;
  }
}

void operator delete(void* p) noexcept { scalable_free(p); }
void operator delete[](void* p) noexcept { scalable_free(p); }
void operator delete(void* p, std::size_t) noexcept { scalable_free(p); }
void operator delete[](void* p, std::size_t) noexcept { scalable_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { scalable_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { scalable_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { scalable_aligned_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { scalable_aligned_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { scalable_aligned_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { scalable_aligned_free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { scalable_aligned_free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { scalable_aligned_free(p); }
