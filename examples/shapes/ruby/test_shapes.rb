# frozen_string_literal: true

# shapes (a C++ library) from Ruby, through its generated C layer: the gem run_tests.sh installed.
# C++ exceptions arrive as Ruby's builtin errors by kind (std::invalid_argument → ArgumentError,
# std::out_of_range → IndexError, std::bad_alloc → NoMemoryError), each also a Shapes::Error for
# `rescue` with #code; any other exception is a Shapes::Error.
require "minitest/autorun"
require "shapes"

class TestShapes < Minitest::Test
  def triangle
    Shapes::Polygon.new_str_f64s("triangle", [0.0, 0.0, 4.0, 0.0, 0.0, 3.0])
  end

  def test_the_installed_gem_is_loaded
    assert_includes Gem.loaded_specs.fetch("shapes").full_gem_path, ENV.fetch("GEM_HOME")
  end

  def test_polygon_values
    t = triangle
    assert_equal "triangle", t.name
    assert_equal 3, t.size
    assert_equal 6.0, t.area
    assert_equal "triangle: 3 vertices, area 6.00", t.describe
    assert_equal "triangle: 3 vertices, area 6.0", t.describe(1)
    assert_equal Shapes::Point.new(4.0, 0.0), t.vertex(1)
    assert_equal [0.0, 0.0, 4.0, 0.0, 0.0, 3.0], t.coordinates
    c = t.centroid
    assert_in_delta 4.0 / 3, c.x
    assert_equal 1.0, c.y
    assert_equal 2, t.find(Shapes::Point.new(0.0, 3.0))
    assert_nil t.find(Shapes::Point.new(9.0, 9.0))
    t.close
  end

  def test_optional_results_and_block_form
    empty = Shapes::Polygon.new_str("empty") do |p|
      assert_nil p.centroid
      assert_equal 0, p.size
      p
    end
    assert empty.closed?
  end

  def test_static_and_free_functions
    assert_equal Shapes::Point.new(0.0, 0.0), Shapes::Polygon.origin
    assert_equal 4.0, Shapes::Polygon.square(2.0).area
    assert_in_delta 8.0, Shapes::Polygon.regular(4, 2.0).area
    assert_equal 4, Shapes::Polygon.regular(4).size # default radius
    assert_equal 5.0, Shapes.distance(Shapes::Point.new(0.0, 0.0), Shapes::Point.new(3.0, 4.0))
    assert_equal Shapes::Point.new(1.0, 2.0), Shapes.parse_point("1,2")
    assert_equal "1.0.0", Shapes.version
  end

  def test_mutation_and_colour
    t = triangle
    t.add_xy(1.0, 1.0)
    t.add_point(Shapes::Point.new(2.0, 2.0))
    assert_equal 5, t.size
    t.rename("pentagon")
    assert_equal "pentagon", t.name
    t.set_color(:blue)
    assert_equal Shapes::Color::BLUE, t.color
    t.set_color
    assert_equal Shapes::Color::RED, t.color
  end

  def test_invalid_argument_is_argument_error
    e = assert_raises(ArgumentError) { Shapes::Polygon.new_str_f64s("odd", [1.0]) }
    assert_kind_of Shapes::ArgumentError, e
    assert_match(/odd number of coordinates/, e.message)
    assert_equal Shapes::SHAPES_ERROR_INVALID_ARGUMENT, e.code
    e = assert_raises(Shapes::Error) { triangle.rename("") } # rescue Shapes::Error catches it too
    assert_kind_of ArgumentError, e
    assert_raises(ArgumentError) { Shapes::Polygon.regular(2) }
    assert_raises(ArgumentError) { Shapes.parse_point("nope") }
  end

  def test_out_of_range_is_index_error
    e = assert_raises(IndexError) { triangle.vertex(5) }
    assert_equal "vertex 5 of 3", e.message
    assert_equal Shapes::SHAPES_ERROR_OUT_OF_RANGE, e.code
    assert_raises(IndexError) { Shapes::Canvas.new.at(0) }
  end

  def test_bad_alloc_is_no_memory_error
    e = assert_raises(NoMemoryError) { triangle.reserve(2**40) }
    assert_kind_of Shapes::NoMemoryError, e
    assert_equal Shapes::SHAPES_ERROR_NO_MEMORY, e.code
  end

  def test_other_exceptions_are_the_library_error
    e = assert_raises(Shapes::Error) { Shapes::Canvas.new.largest } # std::logic_error
    assert_equal "the canvas is empty", e.message
    refute_kind_of ArgumentError, e
    e = assert_raises(Shapes::Error) { Shapes.check(7) } # a foreign exception (an int)
    assert_equal Shapes::SHAPES_ERROR_UNKNOWN, e.code
    Shapes.check(0) # 0: nothing thrown, nothing raised
  end

  def test_canvas_takes_polygons_over_and_lends_them
    c = Shapes::Canvas.new
    t = triangle
    c.add(t)
    assert t.closed? # consumed: the canvas owns it now
    assert_raises(Shapes::ClosedError) { t.area }
    c.add(Shapes::Polygon.square(10.0))
    assert_equal 2, c.count
    assert_equal 106.0, c.total_area
    view = c.at(0)
    assert_equal "triangle", view.name
    assert_equal 100.0, c.largest.area
    c.close
    assert_raises(Shapes::ClosedError) { view.name } # borrowed from the closed canvas
    GC.start
  end

  def test_clone_is_independent
    t = triangle
    u = t.clone
    u.rename("copy")
    assert_equal "triangle", t.name
    assert_equal "copy", u.name
  end

  def test_wrong_types_before_cpp
    assert_raises(TypeError) { Shapes::Polygon.new_str(3) }
    assert_raises(TypeError) { Shapes.distance(1, 2) }
    assert_raises(RangeError) { triangle.vertex(-1) }
  end
end
