# frozen_string_literal: true

# tests/fixtures/host_values/SPEC.md, from Ruby: any Ruby object (but nil) carried through the
# library as `void *`, boxed in the extension's registry (a strong, GC.compact-safe reference) and
# released exactly once by the library; the very object comes back. Tagged slots use this binding's
# own tag ("bindery:ruby:host_values"), so a foreign pointer is never unboxed.
require "minitest/autorun"
require "weakref"
require "host_values"

class TestHostValues < Minitest::Test
  def setup
    collect
    @releases = HostValues.releases
    @live = HostValues.live
  end

  def collect
    # Conservative stack scanning can keep one recent object alive; a few collections settle it.
    3.times { GC.start(full_mark: true, immediate_sweep: true) }
  end

  # A weak reference to a fresh object made in a frame of its own (no stray stack reference).
  def stored_weakly(store, key, via = :put)
    o = Object.new
    store.public_send(via, key, o)
    [WeakRef.new(o), o.object_id]
  end

  def test_h1_h2_h3_the_same_object_kept_alive_then_released
    s = HostValues::Store.new
    o = Object.new
    s.put(0, o)
    assert_same o, s.get(0) # H1: identity
    assert_equal @live + 1, HostValues.live
    ref, id = stored_weakly(s, 1)
    collect
    GC.compact if GC.respond_to?(:compact)
    assert ref.weakref_alive? # H2: the store keeps it alive, across compaction too
    assert_equal id, s.get(1).object_id
    p = [1, 2]
    s.put(1, p) # H3: the old value is released by the library, exactly once
    assert_equal @releases + 1, HostValues.releases
    collect
    refute ref.weakref_alive?
    assert_same p, s.get(1)
    s.close
  end

  def test_h4_out_of_range_releases_at_once
    s = HostValues::Store.new
    ref, = stored_weakly_failing(s)
    assert_equal @releases + 1, HostValues.releases
    assert_equal @live, HostValues.live
    collect
    refute ref.weakref_alive?
    s.close
  end

  def stored_weakly_failing(store)
    q = Object.new
    e = assert_raises(IndexError) { store.put(9, q) }
    assert_match(/key out of range/, e.message)
    [WeakRef.new(q)]
  end

  def test_h5_empty_and_foreign_slots_are_nil
    s = HostValues::Store.new
    assert_nil s.get(5)
    s.put_foreign(1, "foreign")
    assert_nil s.get(1) # another tag: never unboxed
    s.close
    assert_equal @releases, HostValues.releases # the foreign pointer is not ours to release
  end

  def test_h6_h7_untagged_slots
    s = HostValues::Store.new
    r = proc { 42 }
    s.set(2, r)
    assert_same r, s.lookup(2)
    assert_equal 42, s.lookup(2).call
    assert_nil s.lookup(3)
    assert_equal true, s.remove(2)
    assert_equal @releases + 1, HostValues.releases
    assert_equal false, s.remove(2)
    assert_nil s.lookup(2)
    s.close
  end

  def test_h8_close_releases_everything
    s = HostValues::Store.new
    refs = [stored_weakly(s, 0).first, stored_weakly(s, 3, :set).first]
    s.put_foreign(1, "foreign")
    assert_equal @live + 3, HostValues.live
    s.close
    assert_equal @live, HostValues.live
    assert_equal @releases + 2, HostValues.releases
    collect
    refs.each { |ref| refute ref.weakref_alive? }
  end

  def test_h8_collected_stores_release_everything
    refs = Array.new(20) { collected_store_refs }.flatten
    collect
    # Conservative stack scanning may keep one store (two values) alive a little longer.
    assert_operator HostValues.live, :<=, @live + 2
    assert_operator HostValues.releases, :>=, @releases + 38
    collect # values released inside the GC (the store's dfree) are collected by the next one
    assert_operator refs.count(&:weakref_alive?), :<=, 2
  end

  def collected_store_refs
    s = HostValues::Store.new
    [stored_weakly(s, 0).first, stored_weakly(s, 3, :set).first]
  end

  def test_h9_many_replacements_do_not_grow
    s = HostValues::Store.new
    10_000.times { |i| s.put(0, [i]) }
    assert_equal [9999], s.get(0)
    assert_equal @releases + 9999, HostValues.releases
    s.close
    assert_equal @live, HostValues.live
    collect
    before = ObjectSpace.count_objects[:T_ARRAY]
    s = HostValues::Store.new
    10_000.times { |i| s.put(0, [i]) }
    s.close
    collect
    assert_operator ObjectSpace.count_objects[:T_ARRAY], :<, before + 1000
  end

  def test_values_survive_gc_stress_and_compaction
    s = HostValues::Store.new
    GC.stress = true
    begin
      8.times { |k| s.put(k, "value #{k}") }
    ensure
      GC.stress = false
    end
    GC.compact if GC.respond_to?(:compact)
    assert_equal Array.new(8) { |k| "value #{k}" }, Array.new(8) { |k| s.get(k) }
    s.close
  end

  def test_e1_e2_e3_errors
    s = HostValues::Store.new
    assert_raises(TypeError) { s.put(0, nil) } # E1
    assert_raises(TypeError) { s.set(0, nil) }
    o = Object.new
    assert_raises(TypeError) { s.put("x", o) } # E3: not retained
    assert_equal @live, HostValues.live
    assert_equal @releases, HostValues.releases
    s.close
    assert_raises(HostValues::ClosedError) { s.get(0) } # E2
    assert_raises(HostValues::ClosedError) { s.put(0, o) }
    assert_equal @live, HostValues.live
  end
end
