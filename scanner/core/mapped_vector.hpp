#pragma once
// A growable array of trivially copyable values in an anonymous mapping of its own.
// Growing moves its pages (mremap) instead of copying them into a new allocation, and
// destruction returns them to the system. For the few arrays that grow to tens of
// megabytes while much else is allocated around them (the tree pass's edges): the
// buffers a std::vector leaves behind as it doubles stayed resident in the allocator's
// arenas, about 40 MB of git/git's peak.
#include <sys/mman.h>

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace sfmc {

template <typename T>
class MappedVector {
  static_assert(std::is_trivially_copyable_v<T>, "moved by the kernel, not by constructors");

 public:
  MappedVector() = default;
  MappedVector(const MappedVector&) = delete;
  MappedVector& operator=(const MappedVector&) = delete;
  MappedVector(MappedVector&& o) noexcept { swap(o); }
  MappedVector& operator=(MappedVector&& o) noexcept {
    MappedVector gone(std::move(*this));
    swap(o);
    return *this;
  }
  ~MappedVector() {
    if (data_) ::munmap(data_, capacity_ * sizeof(T));
  }

  void push_back(const T& v) {
    if (size_ == capacity_) grow();
    data_[size_++] = v;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  void swap(MappedVector& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
  }
  void grow() {
    // From 64 KiB, doubling: the pages past size_ are never touched, so never resident.
    const std::size_t want = capacity_ ? capacity_ * 2 : (std::size_t{64} << 10) / sizeof(T) + 1;
    void* p = data_ ? ::mremap(data_, capacity_ * sizeof(T), want * sizeof(T), MREMAP_MAYMOVE)
                    : ::mmap(nullptr, want * sizeof(T), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<T*>(p);
    capacity_ = want;
  }

  T* data_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
};

}  // namespace sfmc
