# frozen_string_literal: true

# ns per row of `SELECT sum(value) FROM s` over a Ruby virtual table series(1, ROWS), against:
#   - the same Ruby methods called from a Ruby loop (filter/eof/column/next on a stand-in context):
#     the Ruby work itself, so `vtab - ruby loop` is what SQLite and the binding add per row;
#   - SQLite summing a real table of ROWS integers (no Ruby per row): SQLite's own share.
# Median of REPEATS, interleaved after a warm-up.
require "sqlite3"

ROWS = Integer(ENV.fetch("BENCH_ROWS", "200000"))
REPEATS = Integer(ENV.fetch("BENCH_REPEATS", "7"))

class SeriesModule
  def create(db, args) = connect(db, args)

  def connect(db, args)
    db.declare_vtab("CREATE TABLE x(value INTEGER)")
    SeriesTable.new(*args[3..].map { |a| Integer(a.strip) })
  end
end

class SeriesTable
  def initialize(start, stop)
    @start = start
    @stop = stop
  end

  def open = SeriesCursor.new(@start, @stop)
end

class SeriesCursor
  def initialize(start, stop)
    @start = start
    @stop = stop
  end

  def filter(_idx_num, _idx_str, _args) = @value = @start
  def next = @value += 1
  def eof = @value > @stop
  def column(ctx, _column) = ctx.result_int64(@value)
  def rowid = @value
end

# The Ruby loop's stand-in for SQLite's Context.
class Sink
  attr_reader :sum

  def initialize = @sum = 0
  def result_int64(v) = @sum += v
end

def clock = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)

def scalar(db, sql)
  st = db.prepare_v2(sql)
  st.step
  st.column_int64(0)
ensure
  st&.close
end

db = Sqlite3::Database.open(":memory:")
db.create_module("series", SeriesModule.new)
db.exec("CREATE VIRTUAL TABLE s USING series(1, #{ROWS})")
db.exec("CREATE TABLE t(value INTEGER)")
db.exec("INSERT INTO t SELECT value FROM s")
expected = ROWS * (ROWS + 1) / 2

cases = {
  "vtab (SQLite calls Ruby)" => lambda {
    raise unless scalar(db, "SELECT sum(value) FROM s") == expected
  },
  "ruby loop (same methods)" => lambda {
    c = SeriesTable.new(1, ROWS).open
    sink = Sink.new
    c.filter(0, nil, [])
    until c.eof
      c.column(sink, 0)
      c.next
    end
    raise unless sink.sum == expected
  },
  "sqlite table (no Ruby)" => lambda {
    raise unless scalar(db, "SELECT sum(value) FROM t") == expected
  },
}
cases.each_value(&:call) # warm-up
times = Hash.new { |h, k| h[k] = [] }
REPEATS.times do
  cases.each do |name, run|
    t = clock
    run.call
    times[name] << (clock - t).fdiv(ROWS)
  end
end
median = ->(xs) { xs.sort[xs.size / 2] }
puts "rows: #{ROWS}, repeats: #{REPEATS}, Ruby #{RUBY_VERSION}, SQLite #{Sqlite3::SQLITE_VERSION}"
puts "| case | ns/row |"
puts "|---|---|"
times.each { |name, xs| puts format("| %s | %.1f |", name, median.(xs)) }
db.close
