# frozen_string_literal: true

# tests/fixtures/handles/SPEC.md, from Ruby. H13 (Ruby): closing a parent while children live is
# deferred: the Parent object reads as closed at once, the C parent is destroyed after its last child.
require "minitest/autorun"
require "handles"

class TestHandles < Minitest::Test
  def teardown
    GC.start
    assert_equal 0, Handles.violations
  end

  def collect
    # Conservative stack scanning can keep one recent object alive; a few collections settle it.
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
  end

  def test_h1_h2_h3_close
    base = Handles.live_objects
    c = Handles::Counter.new(10)
    c.add(5)
    c.add(-20)
    assert_equal(-5, c.get)
    assert_equal base + 1, Handles.live_objects
    c.close
    assert_equal base, Handles.live_objects
    c.close
    assert_raises(Handles::ClosedError) { c.get }
    assert c.closed?
  end

  def test_h4_finalizer
    base = Handles.live_objects
    make_garbage { Handles::Counter.new(1) }
    collect
    assert_operator Handles.live_objects, :<=, base
  end

  def test_h5_h6_clone_and_sum
    c = Handles::Counter.new(7)
    d = c.clone
    d.add(100)
    assert_equal 7, c.get
    assert_equal 107, d.get
    assert_equal 114, c.sum(d)
    assert_equal 14, c.sum(c)
    c.close
    d.close
  end

  def test_h7_consume
    d = Handles::Counter.new(3)
    before = Handles.live_objects
    assert_equal 3, Handles.consume(d)
    assert_equal before - 1, Handles.live_objects
    assert_raises(Handles::ClosedError) { d.get }
    assert_nil d.close
    assert_raises(Handles::ClosedError) { Handles.consume(d) } # E3
  end

  def test_h8_to_h10_parent_children
    base = Handles.live_objects
    p = Handles::Parent.new("root")
    assert_equal "root", p.name
    assert_equal 0, p.child_count
    a = p.new_child(1)
    b = p.new_child(2)
    assert_equal 1, a.id
    assert_equal 2, p.child_count
    assert_equal base + 3, Handles.live_objects
    view = a.parent
    assert_equal "root", view.name
    view.close # borrowed: destroys nothing
    assert_equal base + 3, Handles.live_objects
    [a, b, p].each(&:close)
    assert_equal base, Handles.live_objects
  end

  def test_h11_h12_children_keep_parent_alive
    base = Handles.live_objects
    a, b = make_children
    collect
    assert_equal "root", a.parent.name
    assert_equal base + 3, Handles.live_objects
    a = b = nil
    collect
    assert_operator Handles.live_objects, :<=, base + 1 # a conservative GC may pin one
  end

  def test_h13_close_parent_with_live_children_is_deferred
    base = Handles.live_objects
    p = Handles::Parent.new("root")
    a = p.new_child(1)
    p.close
    assert p.closed?
    assert_raises(Handles::ClosedError) { p.name }
    assert_equal base + 2, Handles.live_objects # the C parent is still there for `a`
    assert_equal 1, a.id
    assert_equal "root", a.parent.name
    a.close
    assert_equal base, Handles.live_objects
  end

  def test_h14_many_cycles
    base = Handles.live_objects
    10_000.times { |i| Handles::Counter.new(i).clone }
    collect
    assert_operator Handles.live_objects, :<=, base + 2
  end

  # H15: Path is `typedef const char *handles_path`, a handle, not text: the binding hands back the
  # very pointer it got (a copied string is counted as a violation by the fixture).
  def test_h15_pointer_typedef_handle_is_not_text
    base = Handles.live_objects
    q = Handles::Path.new("a.db", "mode", "ro")
    assert_kind_of Handles::Path, q
    assert_equal "a.db", q.name
    assert_equal "ro", q.param("mode")
    assert_nil q.param("cache")
    assert_equal base + 1, Handles.live_objects
    q.close
    assert_equal base, Handles.live_objects
    assert_equal 0, Handles.violations
    assert_equal "x.db", Handles::Path.new("x.db", "k", "v") { |r| r.name } # block form closes
    assert_equal base, Handles.live_objects
  end

  # H16, H17: a borrowed Path destroys nothing and keeps its Parent alive.
  def test_h16_h17_borrowed_path_keeps_its_parent
    base = Handles.live_objects
    r = borrowed_path
    collect
    GC.compact if GC.respond_to?(:compact)
    assert_equal "root", r.name
    assert_equal "parent", r.param("kind")
    assert_equal base + 1, Handles.live_objects # the Parent, kept by r
    r.close # a borrowed view: closing it destroys nothing
    assert_equal 0, Handles.violations
    r = nil
    collect
    assert_operator Handles.live_objects, :<=, base + 1 # a conservative GC may pin one
  end

  # E5
  def test_e5_path_errors
    q = Handles::Path.new("a.db", "mode", "ro")
    q.close
    assert_raises(Handles::ClosedError) { q.name }
    c = Handles::Counter.new(1)
    assert_raises(TypeError) { c.sum(Handles::Path.new("b", "k", "v")) }
    assert_raises(TypeError) { Handles::Path.new(nil, "k", "v") }
    c.close
  end

  def test_e1_e2_wrong_types
    c = Handles::Counter.new(1)
    p = Handles::Parent.new("x")
    assert_raises(TypeError) { c.sum(p) }
    assert_raises(TypeError) { c.sum(nil) }
    assert_raises(TypeError) { c.sum(Object.new) }
    c.close
    p.close
  end

  def test_e4_no_empty_handles
    assert_raises(TypeError) { Handles::Counter.allocate }
    assert_raises(ArgumentError) { Handles::Counter.new }
  end

  private

  def make_garbage
    yield
    nil
  end

  def borrowed_path
    Handles::Parent.new("root").path
  end

  def make_children
    p = Handles::Parent.new("root")
    [p.new_child(1), p.new_child(2)]
  end
end
