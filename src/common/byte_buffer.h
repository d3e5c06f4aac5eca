// ByteBuffer: a growable byte buffer for socket I/O that does not zero-fill what it reserves
// (std::string::resize would, on every read). Readers append at the tail through
// prepare()/commit(); consumers drop bytes from the head with consume().
#pragma once

#include <cstring>
#include <memory>
#include <string_view>

namespace gh {

class ByteBuffer {
 public:
  explicit ByteBuffer(size_t initial = 16 * 1024) : data_(new char[initial]), cap_(initial) {}

  const char* data() const { return data_.get() + head_; }
  size_t size() const { return tail_ - head_; }
  bool empty() const { return tail_ == head_; }
  std::string_view view() const { return {data(), size()}; }

  // Writable space of at least `n` bytes at the tail.
  char* prepare(size_t n) {
    if (cap_ - tail_ < n) grow(n);
    return data_.get() + tail_;
  }
  size_t writable() const { return cap_ - tail_; }
  void commit(size_t n) { tail_ += n; }
  void append(std::string_view s) {
    std::memcpy(prepare(s.size()), s.data(), s.size());
    commit(s.size());
  }
  void consume(size_t n) {
    head_ += n < size() ? n : size();
    if (head_ == tail_) head_ = tail_ = 0;
  }
  void clear() { head_ = tail_ = 0; }
  size_t capacity() const { return cap_; }

 private:
  void grow(size_t n) {
    size_t live = size();
    if (head_ > 0 && cap_ - live >= n && live <= cap_ / 2) {  // compact instead of growing
      std::memmove(data_.get(), data(), live);
    } else {
      size_t next = cap_ * 2;
      while (next - live < n) next *= 2;
      std::unique_ptr<char[]> bigger(new char[next]);
      std::memcpy(bigger.get(), data(), live);
      data_ = std::move(bigger);
      cap_ = next;
    }
    head_ = 0;
    tail_ = live;
  }

  std::unique_ptr<char[]> data_;
  size_t cap_;
  size_t head_ = 0;
  size_t tail_ = 0;
};

}  // namespace gh
