// The metrics library on its own, before any binding: accuracy against exact percentiles, the
// errors, merge, and the byte format (including malformed input).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "metrics/histogram.hpp"

namespace {

using metrics::Histogram;

/// Latency-like data: log-normal around 20 ms with a long tail, deterministic.
std::vector<double> latencies(std::size_t n, unsigned seed = 42) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> dist(std::log(0.020), 0.8);
  std::vector<double> v(n);
  for (double& x : v) x = dist(rng);
  return v;
}

/// The value of 0-based rank floor(q / 100 * (n - 1)) in sorted order: what percentile() estimates.
double exact_percentile(std::vector<double> sorted, double q) {
  std::sort(sorted.begin(), sorted.end());
  auto rank = static_cast<std::size_t>(q / 100 * static_cast<double>(sorted.size() - 1));
  return sorted[rank];
}

TEST(Histogram, RejectsAccuracyOutsideZeroOne) {
  for (double a : {0.0, 1.0, -0.01, 1.5, std::nan("")}) EXPECT_THROW(Histogram{a}, std::invalid_argument) << a;
  EXPECT_DOUBLE_EQ(Histogram(0.05).relative_accuracy(), 0.05);
  EXPECT_DOUBLE_EQ(Histogram().relative_accuracy(), 0.01);
}

TEST(Histogram, EmptyHasNoStatistics) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_FALSE(h.percentile(50).has_value());
  EXPECT_FALSE(h.mean().has_value());
  EXPECT_FALSE(h.min().has_value());
  EXPECT_FALSE(h.max().has_value());
}

TEST(Histogram, PercentileOutsideZeroHundredIsOutOfRange) {
  Histogram h;
  h.record(1);
  for (double q : {-0.1, 100.5, std::nan("")}) EXPECT_THROW((void)h.percentile(q), std::out_of_range) << q;
  EXPECT_NO_THROW((void)h.percentile(0));
  EXPECT_NO_THROW((void)h.percentile(100));
}

TEST(Histogram, RejectsNegativeNanAndInfiniteValues) {
  Histogram h;
  for (double v : {-1.0, std::nan(""), std::numeric_limits<double>::infinity()})
    EXPECT_THROW(h.record(v), std::invalid_argument) << v;
  EXPECT_EQ(h.count(), 0u);
}

TEST(Histogram, PercentilesWithinRelativeAccuracy) {
  for (double accuracy : {0.01, 0.02, 0.001}) {
    Histogram h(accuracy);
    std::vector<double> values = latencies(100000);
    for (double v : values) h.record(v);
    for (double q : {0.0, 1.0, 25.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
      double exact = exact_percentile(values, q);
      double estimate = *h.percentile(q);
      EXPECT_LE(std::abs(estimate - exact), accuracy * exact * (1 + 1e-12)) << "q=" << q << " a=" << accuracy;
    }
  }
}

TEST(Histogram, EndsAndMeanAreExact) {
  Histogram h;
  std::vector<double> values = latencies(1000);
  double sum = 0;
  for (double v : values) h.record(v), sum += v;
  EXPECT_EQ(h.count(), 1000u);
  EXPECT_EQ(*h.min(), *std::min_element(values.begin(), values.end()));
  EXPECT_EQ(*h.max(), *std::max_element(values.begin(), values.end()));
  EXPECT_EQ(*h.percentile(0), *h.min());
  EXPECT_EQ(*h.percentile(100), *h.max());
  EXPECT_DOUBLE_EQ(*h.mean(), sum / 1000);
}

TEST(Histogram, ZeroAndTinyValuesReportZero) {
  Histogram h;
  h.record(0);
  h.record(1e-12);
  h.record(5);
  EXPECT_EQ(*h.percentile(0), 0);
  EXPECT_EQ(*h.percentile(50), 0);  // rank 1 is the tiny value, counted as 0
  EXPECT_EQ(*h.percentile(100), 5);
}

TEST(Histogram, RecordManyEqualsOneAtATime) {
  std::vector<double> values = latencies(5000);
  Histogram one, many;
  for (double v : values) one.record(v);
  many.record_many(values);
  EXPECT_EQ(one.serialize(), many.serialize());
}

TEST(Histogram, RecordManyIsAllOrNothing) {
  Histogram h;
  std::vector<double> values{1, 2, -3, 4};
  EXPECT_THROW(h.record_many(values), std::invalid_argument);
  EXPECT_EQ(h.count(), 0u);
}

TEST(Histogram, MergeEqualsRecordingEverything) {
  std::vector<double> values = latencies(20000);
  Histogram whole, left, right;
  whole.record_many(values);
  left.record_many(std::span(values).first(7000));
  right.record_many(std::span(values).subspan(7000));
  left.merge(right);
  EXPECT_EQ(left.count(), whole.count());
  EXPECT_EQ(*left.min(), *whole.min());
  EXPECT_EQ(*left.max(), *whole.max());
  for (double q : {1.0, 50.0, 99.0, 99.9}) EXPECT_EQ(*left.percentile(q), *whole.percentile(q)) << q;
  EXPECT_NEAR(*left.mean(), *whole.mean(), 1e-12);
}

TEST(Histogram, MergeIntoEmptyAndWithItself) {
  Histogram a, b;
  b.record_many(std::vector<double>{3, 1, 2});
  a.merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(*a.min(), 1);
  a.merge(a);
  EXPECT_EQ(a.count(), 6u);
  EXPECT_EQ(*a.max(), 3);
}

TEST(Histogram, MergeOfDifferentAccuraciesIsInvalid) {
  Histogram a(0.01), b(0.02);
  b.record(1);
  EXPECT_THROW(a.merge(b), std::invalid_argument);
  EXPECT_EQ(a.count(), 0u);
}

TEST(Histogram, ResetForgetsValuesKeepsAccuracy) {
  Histogram h(0.05);
  h.record_many(std::vector<double>{1, 2, 3});
  h.reset();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_FALSE(h.percentile(50).has_value());
  EXPECT_EQ(h.relative_accuracy(), 0.05);
  EXPECT_EQ(h.serialize(), Histogram(0.05).serialize());
}

TEST(Histogram, SerializeRoundTrip) {
  Histogram h(0.02);
  h.record_many(latencies(3000));
  h.record(0);
  std::vector<std::uint8_t> bytes = h.serialize();
  Histogram back = Histogram::deserialize(bytes);
  EXPECT_EQ(back.serialize(), bytes);
  EXPECT_EQ(back.count(), h.count());
  EXPECT_EQ(back.relative_accuracy(), 0.02);
  for (double q : {0.0, 50.0, 99.0, 100.0}) EXPECT_EQ(*back.percentile(q), *h.percentile(q));
  Histogram empty = Histogram::deserialize(Histogram().serialize());
  EXPECT_EQ(empty.count(), 0u);
}

TEST(Histogram, DeserializeRejectsMalformedBytes) {
  Histogram h;
  h.record_many(latencies(100));
  std::vector<std::uint8_t> good = h.serialize();
  auto rejects = [](std::vector<std::uint8_t> bytes) {
    EXPECT_THROW(Histogram::deserialize(bytes), std::invalid_argument);
  };
  rejects({});
  rejects({'M', 'H', 'S', 'T'});
  std::vector<std::uint8_t> bad = good;
  bad[0] = 'X';
  rejects(bad);  // magic
  bad = good;
  bad[4] = 2;
  rejects(bad);  // version
  bad = good;
  bad.pop_back();
  rejects(bad);  // truncated
  bad = good;
  bad.push_back(0);
  rejects(bad);  // trailing byte
  bad = good;
  bad[13] ^= 1;
  rejects(bad);  // the count no longer matches the buckets
  // Every single-byte corruption is either rejected or read as some consistent histogram, never a crash.
  for (std::size_t i = 0; i < good.size(); ++i) {
    bad = good;
    bad[i] ^= 0xA5;
    try {
      Histogram back = Histogram::deserialize(bad);
      if (back.count() > 0) (void)back.percentile(50);
    } catch (const std::invalid_argument&) {
    }
  }
}

}  // namespace
