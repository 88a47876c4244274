# frozen_string_literal: true

# Ruby: the native `metrics` gem against the pure-Ruby histogram it replaces.
#
#   ruby bench.rb native|pure one|batch [N]
#
# Records N values (default 10 million) one call at a time (`one`) or in batches of 10,000
# (`batch`, record_many), then asks for p50, p99 and p99.9. The values cycle through a fixed pool
# of 100,000 latencies (the same pool as bench.py and bench.js). Prints one JSON line: seconds
# recording, seconds for the percentiles, peak RSS before recording and at the end. One process
# per case, so each peak is its own. A benchmark, run by run.sh: never a test.
require 'json'

POOL = 100_000
BATCH = 10_000
MASK = (1 << 64) - 1

def pool
  state = 42
  Array.new(POOL) do
    state = ((state * 6_364_136_223_846_793_005) + 1_442_695_040_888_963_407) & MASK
    u1 = ((state >> 11) + 1) / (2.0**53)
    state = ((state * 6_364_136_223_846_793_005) + 1_442_695_040_888_963_407) & MASK
    u2 = (state >> 11) / (2.0**53)
    z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math::PI * u2)
    Math.exp(Math.log(0.020) + (0.8 * z))
  end
end

# Peak resident set size in kB: VmHWM is what getrusage's ru_maxrss reports on Linux.
def maxrss_kb
  File.read('/proc/self/status')[/^VmHWM:\s+(\d+)/, 1].to_i
end

impl, mode, n = ARGV
n = (n || 10_000_000).to_i
if impl == 'native'
  require 'metrics'
  klass = Metrics::Histogram
else
  require 'pure_metrics'
  klass = PureMetrics::Histogram
end
values = pool
batches = values.each_slice(BATCH).to_a
h = klass.new(0.01)
rss_before = maxrss_kb
clock = -> { Process.clock_gettime(Process::CLOCK_MONOTONIC) }
start = clock.call
if mode == 'one'
  (n / POOL).times { values.each { |v| h.record(v) } }
else
  (n / POOL).times { batches.each { |b| h.record_many(b) } }
end
recorded = clock.call
ps = [50, 99, 99.9].map { |q| h.percentile(q) }
done = clock.call
raise 'count' unless h.count == n / POOL * POOL

puts JSON.generate(lang: 'ruby', impl: impl, mode: mode, n: h.count, record_s: recorded - start,
                   percentiles_s: done - recorded, rss_before_kb: rss_before, rss_peak_kb: maxrss_kb,
                   p50: ps[0], p99: ps[1], p999: ps[2])
