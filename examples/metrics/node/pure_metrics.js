'use strict';
// The latency histogram in plain JavaScript: what the agent had before the native `metrics` package.
//
// The same bucketing as the C++ library (include/metrics/histogram.hpp), so both report the same
// percentiles: with relative accuracy a, a value x counts in bucket ceil(log(x) / log(g)) where
// g = (1 + a) / (1 - a), and bucket i reports 2 g^i / (g + 1), within a of every value in it.
// Values below 1e-9 count as 0. The byte format of serialize() is the library's too, so either
// side reads the other's. Errors are the builtin the native package throws for both a bad argument
// and a percentile outside [0, 100]: RangeError (docs/hosts-over-cxx.md).

const MIN_INDEXABLE = 1e-9;
const MAGIC = 'MHST';
const VERSION = 1;
const HEADER_SIZE = 4 + 1 + 8 * 6 + 4 + 4;

function checkValue(value) {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`histogram values must be finite and non-negative, got ${value}`);
  }
}

/** A log-bucketed histogram of non-negative values with bounded relative error. */
class Histogram {
  #accuracy;
  #gamma;
  #logGamma;
  #buckets = new Map(); // bucket index -> count
  #zeros = 0;
  #count = 0;
  #sum = 0;
  #min = 0;
  #max = 0;

  constructor(relativeAccuracy = 0.01) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
      throw new RangeError(`relative accuracy must be in (0, 1), got ${relativeAccuracy}`);
    }
    this.#accuracy = relativeAccuracy;
    this.#gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.#logGamma = Math.log(this.#gamma);
  }

  /** Forgets every recorded value (keeps the accuracy). */
  reset() {
    this.#buckets = new Map();
    this.#zeros = this.#count = 0;
    this.#sum = this.#min = this.#max = 0;
  }

  /** Records one value; RangeError for a negative, NaN or infinite one. */
  record(value) {
    checkValue(value);
    if (value < MIN_INDEXABLE) {
      this.#zeros++;
    } else {
      const index = Math.ceil(Math.log(value) / this.#logGamma);
      this.#buckets.set(index, (this.#buckets.get(index) ?? 0) + 1);
    }
    if (this.#count === 0 || value < this.#min) this.#min = value;
    if (this.#count === 0 || value > this.#max) this.#max = value;
    this.#count++;
    this.#sum += value;
  }

  /** Records every value of an array (or typed array), or none when one of them is invalid. */
  recordMany(values) {
    for (const v of values) checkValue(v);
    for (const v of values) this.record(v);
  }

  /** Adds the values recorded in `other`; RangeError when the accuracies differ. */
  merge(other) {
    if (other.#accuracy !== this.#accuracy) {
      throw new RangeError(`cannot merge histograms of different accuracies (${this.#accuracy} and ${other.#accuracy})`);
    }
    if (other.#count === 0) return;
    for (const [index, n] of [...other.#buckets]) this.#buckets.set(index, (this.#buckets.get(index) ?? 0) + n);
    this.#min = this.#count === 0 ? other.#min : Math.min(this.#min, other.#min);
    this.#max = this.#count === 0 ? other.#max : Math.max(this.#max, other.#max);
    this.#zeros += other.#zeros;
    this.#count += other.#count;
    this.#sum += other.#sum;
  }

  /** The q-th percentile (0 = min, 100 = max), null when empty; RangeError unless 0 <= q <= 100. */
  percentile(q) {
    if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${q}`);
    if (this.#count === 0) return null;
    if (q === 0) return this.#min;
    if (q === 100) return this.#max;
    const rank = (q / 100) * (this.#count - 1);
    let cumulative = this.#zeros;
    if (cumulative > rank) return this.#min;
    for (const index of [...this.#buckets.keys()].sort((a, b) => a - b)) {
      cumulative += this.#buckets.get(index);
      if (cumulative > rank) {
        const estimate = (2 * this.#gamma ** index) / (this.#gamma + 1);
        return Math.min(Math.max(estimate, this.#min), this.#max);
      }
    }
    return this.#max; // not reached: the buckets add up to the count
  }

  /** The mean of the recorded values, null when empty. */
  mean() { return this.#count === 0 ? null : this.#sum / this.#count; }
  /** The smallest recorded value, null when empty. */
  min() { return this.#count === 0 ? null : this.#min; }
  /** The largest recorded value, null when empty. */
  max() { return this.#count === 0 ? null : this.#max; }
  /** The number of recorded values. */
  count() { return this.#count; }
  /** The relative accuracy the histogram was created with. */
  relativeAccuracy() { return this.#accuracy; }

  /** The histogram in the library's byte format (a Uint8Array). */
  serialize() {
    const indexes = [...this.#buckets.keys()];
    const low = indexes.length ? Math.min(...indexes) : 0;
    const n = indexes.length ? Math.max(...indexes) - low + 1 : 0;
    const bytes = new Uint8Array(HEADER_SIZE + 8 * n);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < 4; i++) bytes[i] = MAGIC.charCodeAt(i);
    view.setUint8(4, VERSION);
    view.setFloat64(5, this.#accuracy, true);
    view.setBigUint64(13, BigInt(this.#count), true);
    view.setBigUint64(21, BigInt(this.#zeros), true);
    view.setFloat64(29, this.#sum, true);
    view.setFloat64(37, this.#min, true);
    view.setFloat64(45, this.#max, true);
    view.setInt32(53, low, true);
    view.setUint32(57, n, true);
    for (let i = 0; i < n; i++) view.setBigUint64(HEADER_SIZE + 8 * i, BigInt(this.#buckets.get(low + i) ?? 0), true);
    return bytes;
  }

  /** The histogram serialize() (native or pure) wrote; RangeError for malformed bytes. */
  static deserialize(bytes) {
    const malformed = (why) => new RangeError(`malformed histogram bytes: ${why}`);
    if (bytes.length < HEADER_SIZE) throw malformed('shorter than the header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const magic = String.fromCharCode(...bytes.subarray(0, 4));
    if (magic !== MAGIC || view.getUint8(4) !== VERSION) throw malformed('not a histogram of a known version');
    const n = view.getUint32(57, true);
    if (bytes.length !== HEADER_SIZE + 8 * n) throw malformed('the bucket count does not match the length');
    const h = new Histogram(view.getFloat64(5, true));
    const offset = view.getInt32(53, true);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const c = Number(view.getBigUint64(HEADER_SIZE + 8 * i, true));
      if (c !== 0) h.#buckets.set(offset + i, c);
      total += c;
    }
    h.#count = Number(view.getBigUint64(13, true));
    h.#zeros = Number(view.getBigUint64(21, true));
    if (h.#zeros + total !== h.#count) throw malformed('the bucket counts do not add up to the count');
    h.#sum = view.getFloat64(29, true);
    h.#min = view.getFloat64(37, true);
    h.#max = view.getFloat64(45, true);
    return h;
  }
}

module.exports = { Histogram, MIN_INDEXABLE };
