#include "metrics/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

namespace metrics {

namespace {

/// Values below this go to the zero count: a bucket index needs a finite logarithm.
constexpr double kMinIndexable = 1e-9;

void check_value(double value) {
  if (!(value >= 0) || std::isinf(value))
    throw std::invalid_argument("histogram values must be finite and non-negative, got " + std::to_string(value));
}

// The serialized form: a fixed little-endian header, then one u64 count per bucket.
//   "MHST" u8:version f64:accuracy u64:count u64:zeros f64:sum f64:min f64:max i32:offset u32:buckets
constexpr char kMagic[4] = {'M', 'H', 'S', 'T'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kHeaderSize = 4 + 1 + 8 * 6 + 4 + 4;

class Writer {
 public:
  explicit Writer(std::vector<std::uint8_t>& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }

 private:
  std::vector<std::uint8_t>& out_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
  std::uint8_t u8() { return in_[pos_++]; }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t{in_[pos_++]} << (8 * i);
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t{in_[pos_++]} << (8 * i);
    return v;
  }
  double f64() { return std::bit_cast<double>(u64()); }

 private:
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
};

[[noreturn]] void malformed(const std::string& why) {
  throw std::invalid_argument("malformed histogram bytes: " + why);
}

}  // namespace

Histogram::Histogram(double relative_accuracy) : accuracy_(relative_accuracy) {
  if (!(relative_accuracy > 0 && relative_accuracy < 1))
    throw std::invalid_argument("relative accuracy must be in (0, 1), got " + std::to_string(relative_accuracy));
  gamma_ = (1 + relative_accuracy) / (1 - relative_accuracy);
  log_gamma_ = std::log(gamma_);
}

int Histogram::bucket_index(double value) const noexcept {
  return static_cast<int>(std::ceil(std::log(value) / log_gamma_));
}

double Histogram::bucket_value(int index) const noexcept {
  return 2 * std::pow(gamma_, index) / (gamma_ + 1);
}

void Histogram::add_to_bucket(int index, std::uint64_t n) {
  if (buckets_.empty()) {
    offset_ = index;
    buckets_.push_back(n);
    return;
  }
  if (index < offset_) {
    buckets_.insert(buckets_.begin(), static_cast<std::size_t>(offset_ - index), 0);
    offset_ = index;
  } else if (static_cast<std::size_t>(index - offset_) >= buckets_.size()) {
    buckets_.resize(static_cast<std::size_t>(index - offset_) + 1, 0);
  }
  buckets_[static_cast<std::size_t>(index - offset_)] += n;
}

void Histogram::record(double value) {
  check_value(value);
  if (value < kMinIndexable)
    ++zeros_;
  else
    add_to_bucket(bucket_index(value), 1);
  if (count_ == 0 || value < min_) min_ = value;
  if (count_ == 0 || value > max_) max_ = value;
  ++count_;
  sum_ += value;
}

void Histogram::record_many(std::span<const double> values) {
  for (double v : values) check_value(v);  // all or nothing
  for (double v : values) record(v);
}

void Histogram::merge(const Histogram& other) {
  if (other.accuracy_ != accuracy_)
    throw std::invalid_argument("cannot merge histograms of different accuracies (" + std::to_string(accuracy_) +
                                " and " + std::to_string(other.accuracy_) + ")");
  if (&other == this) {
    Histogram copy = other;
    merge(copy);
    return;
  }
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < other.buckets_.size(); ++i)
    if (other.buckets_[i] != 0) add_to_bucket(other.offset_ + static_cast<int>(i), other.buckets_[i]);
  zeros_ += other.zeros_;
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = count_ == 0 ? other.max_ : std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

std::optional<double> Histogram::percentile(double q) const {
  if (!(q >= 0 && q <= 100)) throw std::out_of_range("percentile must be in [0, 100], got " + std::to_string(q));
  if (count_ == 0) return std::nullopt;
  if (q == 0) return min_;  // the ends are known exactly
  if (q == 100) return max_;
  // The value of 0-based rank floor(rank) in sorted order lies in the first bucket whose
  // cumulative count exceeds rank; clamping to the exact min and max can only bring it closer.
  double rank = q / 100 * static_cast<double>(count_ - 1);
  double cumulative = static_cast<double>(zeros_);
  double estimate = 0;
  if (!(cumulative > rank)) {
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
      cumulative += static_cast<double>(buckets_[i]);
      if (cumulative > rank) {
        estimate = bucket_value(offset_ + static_cast<int>(i));
        break;
      }
    }
  }
  return std::clamp(estimate, min_, max_);
}

std::optional<double> Histogram::mean() const noexcept {
  if (count_ == 0) return std::nullopt;
  return sum_ / static_cast<double>(count_);
}

std::optional<double> Histogram::min() const noexcept {
  if (count_ == 0) return std::nullopt;
  return min_;
}

std::optional<double> Histogram::max() const noexcept {
  if (count_ == 0) return std::nullopt;
  return max_;
}

std::uint64_t Histogram::count() const noexcept { return count_; }

double Histogram::relative_accuracy() const noexcept { return accuracy_; }

void Histogram::reset() noexcept {
  buckets_.clear();
  offset_ = 0;
  zeros_ = count_ = 0;
  sum_ = min_ = max_ = 0;
}

std::vector<std::uint8_t> Histogram::serialize() const {
  std::vector<std::uint8_t> out;
  out.reserve(kHeaderSize + 8 * buckets_.size());
  Writer w(out);
  for (char c : kMagic) w.u8(static_cast<std::uint8_t>(c));
  w.u8(kVersion);
  w.f64(accuracy_);
  w.u64(count_);
  w.u64(zeros_);
  w.f64(sum_);
  w.f64(min_);
  w.f64(max_);
  w.u32(static_cast<std::uint32_t>(offset_));
  w.u32(static_cast<std::uint32_t>(buckets_.size()));
  for (std::uint64_t n : buckets_) w.u64(n);
  return out;
}

Histogram Histogram::deserialize(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kHeaderSize) malformed("shorter than the header");
  if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) malformed("not a histogram (bad magic)");
  Reader r(bytes.subspan(sizeof kMagic));
  if (std::uint8_t version = r.u8(); version != kVersion) malformed("unknown version " + std::to_string(version));
  double accuracy = r.f64();
  if (!(accuracy > 0 && accuracy < 1)) malformed("relative accuracy out of (0, 1)");
  Histogram h(accuracy);
  h.count_ = r.u64();
  h.zeros_ = r.u64();
  h.sum_ = r.f64();
  h.min_ = r.f64();
  h.max_ = r.f64();
  h.offset_ = static_cast<std::int32_t>(r.u32());
  std::uint32_t n = r.u32();
  // Bounding n by the input size first keeps a forged count from allocating more than it sent.
  if ((bytes.size() - kHeaderSize) / 8 != n || (bytes.size() - kHeaderSize) % 8 != 0)
    malformed("the bucket count does not match the length");
  if (static_cast<std::int64_t>(h.offset_) + n > std::numeric_limits<int>::max())
    malformed("bucket indexes overflow");
  Reader counts(bytes.subspan(kHeaderSize));
  h.buckets_.resize(n);
  std::uint64_t total = h.zeros_;
  for (std::uint64_t& c : h.buckets_) {
    c = counts.u64();
    if (total + c < total) malformed("counts overflow");
    total += c;
  }
  if (total != h.count_) malformed("the bucket counts do not add up to the count");
  bool ordered = h.count_ == 0 ? (h.min_ == 0 && h.max_ == 0 && h.sum_ == 0)
                               : (h.min_ >= 0 && h.min_ <= h.max_ && std::isfinite(h.max_) && std::isfinite(h.sum_));
  if (!ordered) malformed("min, max or sum inconsistent");
  if (h.count_ == 0) h.reset();  // only zero counts: the empty histogram
  return h;
}

}  // namespace metrics
