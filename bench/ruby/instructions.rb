# frozen_string_literal: true

# The calls whose instructions instructions.sh counts under callgrind: N calls of each case, for the
# generated extension and the hand-written floor. Only the C method bodies are counted (callgrind
# --toggle-collect on each binding's C function), so the VM's own call dispatch, identical for
# both, is left out. The GC is disabled while counting: a collection is charged to whichever call
# happened to trigger it, which would make the allocating cases depend on call order.
require "benchlib"
require "floor_ext"

n = Integer(ARGV.fetch(0, "10000"))
s16 = "sixteen chars!!!"
g = Benchlib::Counter.new
f = Floor::Counter.new
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
  g.kib_view
  f.kib_view
  Benchlib::Counter.new.close
  Floor::Counter.new.close
end
