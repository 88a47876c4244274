# frozen_string_literal: true

# The calls whose instructions instructions.sh counts under callgrind: N calls of each case, for the
# generated extension and the hand-written floor. Only the C method bodies are counted (callgrind
# --toggle-collect on each binding's C function), so the VM's own call dispatch, identical for
# both, is left out. The GC is disabled while counting: a collection is charged to whichever call
# happened to trigger it, which would make the allocating cases depend on call order.
# BENCH_VIEW=first: kib_view is each time the first view of a fresh counter (what a view costs when
# it is not the one its owner made last); by default it is called again on the same counter.
require "benchlib"
require "floor_ext"

n = Integer(ARGV.fetch(0, "10000"))
s16 = "sixteen chars!!!"
g = Benchlib::Counter.new
f = Floor::Counter.new
first_view = ENV["BENCH_VIEW"] == "first"
GC.start
GC.disable
n.times do
  Benchlib.noop
  Floor.noop
  Benchlib.double_input(21)
  Floor.double_input(21)
  g.add(1)
  f.add(1)
  Benchlib.strlen(s16)
  Floor.strlen(s16)
  g.kib
  f.kib
  if first_view
    gv = Benchlib::Counter.new
    fv = Floor::Counter.new
    gv.kib_view
    fv.kib_view
    gv.close
    fv.close
  else
    g.kib_view
    f.kib_view
  end
  Benchlib::Counter.new.close
  Floor::Counter.new.close
end
