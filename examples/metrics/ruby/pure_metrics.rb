# frozen_string_literal: true

# The latency histogram in pure Ruby: what the agent had before the native `metrics` gem.
#
# The same bucketing as the C++ library (include/metrics/histogram.hpp), so both report the same
# percentiles: with relative accuracy a, a value x counts in bucket ceil(log(x) / log(g)) where
# g = (1 + a) / (1 - a), and bucket i reports 2 g**i / (g + 1), within a of every value in it.
# Values below 1e-9 count as 0. The byte format of #serialize is the library's too, so either side
# reads the other's. Errors are the builtins the native gem raises: ArgumentError for a bad
# argument, IndexError for a percentile outside [0, 100].
module PureMetrics
  MIN_INDEXABLE = 1e-9
  MAGIC = 'MHST'
  VERSION = 1
  HEADER = 'a4CEQ<Q<EEEl<L<' # magic, version, accuracy, count, zeros, sum, min, max, offset, buckets
  HEADER_SIZE = 4 + 1 + (8 * 6) + 4 + 4

  # A log-bucketed histogram of non-negative values with bounded relative error.
  class Histogram
    attr_reader :relative_accuracy, :count

    def initialize(relative_accuracy = 0.01)
      unless relative_accuracy.positive? && relative_accuracy < 1
        raise ArgumentError, "relative accuracy must be in (0, 1), got #{relative_accuracy}"
      end

      @relative_accuracy = relative_accuracy
      @gamma = (1 + relative_accuracy) / (1 - relative_accuracy)
      @log_gamma = Math.log(@gamma)
      reset
    end

    # Forgets every recorded value (keeps the accuracy).
    def reset
      @buckets = Hash.new(0) # bucket index => count
      @zeros = 0
      @count = 0
      @sum = 0.0
      @min = 0.0
      @max = 0.0
      nil
    end

    # Records one value; ArgumentError for a negative, NaN or infinite one.
    def record(value)
      check_value(value)
      if value < MIN_INDEXABLE
        @zeros += 1
      else
        @buckets[(Math.log(value) / @log_gamma).ceil] += 1
      end
      @min = value if @count.zero? || value < @min
      @max = value if @count.zero? || value > @max
      @count += 1
      @sum += value
      nil
    end

    # Records every value, or none when one of them is invalid.
    def record_many(values)
      values.each { |v| check_value(v) }
      values.each { |v| record(v) }
      nil
    end

    # Adds the values recorded in other; ArgumentError when the accuracies differ.
    def merge(other)
      if other.relative_accuracy != @relative_accuracy
        raise ArgumentError,
              "cannot merge histograms of different accuracies (#{@relative_accuracy} and #{other.relative_accuracy})"
      end
      return nil if other.count.zero?

      zeros, buckets, sum, low, high = other.state
      buckets.dup.each { |index, n| @buckets[index] += n }
      @min = @count.zero? ? low : [@min, low].min
      @max = @count.zero? ? high : [@max, high].max
      @zeros += zeros
      @count += other.count
      @sum += sum
      nil
    end

    # The q-th percentile (0 = min, 100 = max), nil when empty; IndexError unless 0 <= q <= 100.
    def percentile(q)
      raise IndexError, "percentile must be in [0, 100], got #{q}" unless q >= 0 && q <= 100
      return nil if @count.zero?
      return @min if q.zero?
      return @max if q == 100

      rank = q / 100.0 * (@count - 1)
      cumulative = @zeros.to_f
      return @min if cumulative > rank

      @buckets.keys.sort.each do |index|
        cumulative += @buckets[index]
        return (2 * (@gamma**index) / (@gamma + 1)).clamp(@min, @max) if cumulative > rank
      end
      @max # not reached: the buckets add up to the count
    end

    # The mean of the recorded values, nil when empty.
    def mean
      @count.zero? ? nil : @sum / @count
    end

    # The smallest recorded value, nil when empty.
    def min
      @count.zero? ? nil : @min
    end

    # The largest recorded value, nil when empty.
    def max
      @count.zero? ? nil : @max
    end

    # The histogram in the library's byte format (a binary String).
    def serialize
      low, high = @buckets.keys.minmax
      counts = low ? (low..high).map { |i| @buckets.fetch(i, 0) } : []
      [MAGIC, VERSION, @relative_accuracy, @count, @zeros, @sum, @min, @max, low || 0, counts.size].pack(HEADER) +
        counts.pack('Q<*')
    end

    # The histogram serialize (native or pure) wrote; ArgumentError for malformed bytes.
    def self.deserialize(bytes)
      raise ArgumentError, 'malformed histogram bytes: shorter than the header' if bytes.bytesize < HEADER_SIZE

      magic, version, accuracy, count, zeros, sum, low, high, offset, n = bytes.unpack(HEADER)
      raise ArgumentError, 'malformed histogram bytes: not a histogram of a known version' unless magic == MAGIC && version == VERSION
      raise ArgumentError, 'malformed histogram bytes: the bucket count does not match the length' unless bytes.bytesize == HEADER_SIZE + (8 * n)

      counts = bytes.byteslice(HEADER_SIZE, 8 * n).unpack('Q<*')
      raise ArgumentError, 'malformed histogram bytes: the bucket counts do not add up to the count' unless zeros + counts.sum == count

      h = new(accuracy)
      h.send(:restore, zeros, counts.each_with_index.to_h { |c, i| [offset + i, c] }.reject { |_, c| c.zero? }, count, sum, low, high)
      h
    end

    protected

    def state
      [@zeros, @buckets, @sum, @min, @max]
    end

    private

    def restore(zeros, buckets, count, sum, low, high)
      @zeros = zeros
      @buckets = Hash.new(0).merge!(buckets)
      @count = count
      @sum = sum
      @min = low
      @max = high
    end

    def check_value(value)
      return if value >= 0 && value.finite?

      raise ArgumentError, "histogram values must be finite and non-negative, got #{value}"
    end
  end
end
