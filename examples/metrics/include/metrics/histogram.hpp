// metrics: a streaming latency histogram with bounded relative error, the hot path of a monitoring
// agent (issue 8: the flagship example, shipped to Ruby, Python and Node by bindery).
//
// Values are counted in logarithmic buckets, as DDSketch does: with relative accuracy `a`, bucket
// `i` holds the values in (g^(i-1), g^i] where g = (1 + a) / (1 - a), and reports 2 g^i / (g + 1),
// which is within `a` of every value in the bucket. So any percentile is within `a` (relative) of
// the exact one, in a few kilobytes whatever the number of values, and two histograms with the
// same accuracy merge exactly by adding their buckets. Values below 1e-9 (and 0) are counted apart
// and reported as 0. The buckets are a dense array from the smallest to the largest value seen:
// about log(max / min) / (2 a) counts, 8 bytes each (12 KB for 1 ns … 1 h at 1%).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace metrics {

/// A log-bucketed histogram of non-negative values (latencies, sizes) with bounded relative error.
class Histogram {
 public:
  /// An empty histogram whose percentiles are within `relative_accuracy` (e.g. 0.01 = 1%) of the
  /// exact ones. Throws std::invalid_argument unless 0 < relative_accuracy < 1.
  explicit Histogram(double relative_accuracy = 0.01);

  /// Records one value. Throws std::invalid_argument for a negative, NaN or infinite value.
  void record(double value);
  /// Records every value of `values`, in order. Throws std::invalid_argument, recording nothing,
  /// when one of them is negative, NaN or infinite.
  void record_many(std::span<const double> values);
  /// Adds the values recorded in `other`. Throws std::invalid_argument when the accuracies differ.
  void merge(const Histogram& other);

  /// The `q`-th percentile (0 = the minimum, 50 = the median, 100 = the maximum), or nothing when
  /// the histogram is empty. Throws std::out_of_range unless 0 <= q <= 100.
  std::optional<double> percentile(double q) const;
  /// The mean of the recorded values (exact), or nothing when the histogram is empty.
  std::optional<double> mean() const noexcept;
  /// The smallest recorded value (exact), or nothing when the histogram is empty.
  std::optional<double> min() const noexcept;
  /// The largest recorded value (exact), or nothing when the histogram is empty.
  std::optional<double> max() const noexcept;
  /// The number of recorded values.
  std::uint64_t count() const noexcept;
  /// The relative accuracy the histogram was created with.
  double relative_accuracy() const noexcept;
  /// Forgets every recorded value (keeps the accuracy).
  void reset() noexcept;

  /// The histogram as bytes (a versioned little-endian format), for sending to a collector.
  std::vector<std::uint8_t> serialize() const;
  /// The histogram `serialize()` wrote. Throws std::invalid_argument for malformed bytes.
  static Histogram deserialize(std::span<const std::uint8_t> bytes);

 private:
  int bucket_index(double value) const noexcept;
  double bucket_value(int index) const noexcept;
  void add_to_bucket(int index, std::uint64_t n);

  double accuracy_;
  double gamma_;             ///< (1 + a) / (1 - a): the ratio of a bucket's bounds
  double log_gamma_;         ///< log(gamma_), computed once
  std::vector<std::uint64_t> buckets_;  ///< counts of buckets offset_, offset_ + 1, …
  int offset_ = 0;           ///< the index of buckets_[0]
  std::uint64_t zeros_ = 0;  ///< values below 1e-9, too small for a bucket: reported as 0
  std::uint64_t count_ = 0;
  double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
};

}  // namespace metrics
