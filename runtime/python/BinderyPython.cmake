# bindery_add_python_module(<target> CONFIG <bindery.yaml> OUT <dir> [SOURCES <extra.c>...]
#                           [CXX_STD <c++20>] [DEPENDS <file>...])
#
# Generates the Python binding of a C library at build time (so it always uses the current
# generator) and builds its extension into <dir>/<library>/, next to the generated __init__.py:
# put <dir> on PYTHONPATH and `import <library>`. The library's own `sources:` are read from the
# generated setup.py's neighbour, the bindery.yaml: pass them again as SOURCES, or link a target
# to <target>. CXX_STD marks a C++ library: bindery writes its C layer into <dir>/c_layer/, whose
# shims are compiled with the library's .cpp sources at that standard (docs/hosts-over-cxx.md). Requires find_package(Python3 COMPONENTS Interpreter Development.Module).
function(bindery_add_python_module target)
  cmake_parse_arguments(ARG "" "CONFIG;OUT;CXX_STD" "SOURCES;DEPENDS" ${ARGN})
  get_filename_component(config_dir ${ARG_CONFIG} DIRECTORY)
  # The library name is the generated package's name: read it from the config.
  file(STRINGS ${ARG_CONFIG} library_line REGEX "^library:")
  string(REGEX REPLACE "^library:[ \t]*([A-Za-z0-9_]+).*" "\\1" library "${library_line}")
  file(STRINGS ${ARG_CONFIG} sources_line REGEX "^sources:")
  set(lib_sources ${ARG_SOURCES})
  if(sources_line)
    string(REGEX REPLACE "^sources:[ \t]*\\[(.*)\\].*" "\\1" listed "${sources_line}")
    string(REPLACE "," ";" listed "${listed}")
    foreach(s ${listed})
      string(STRIP "${s}" s)
      list(APPEND lib_sources ${config_dir}/${s})
    endforeach()
  endif()
  # System libraries the binding links (`link: [sqlite3]`).
  file(STRINGS ${ARG_CONFIG} link_line REGEX "^link:")
  set(link_libraries "")
  if(link_line)
    string(REGEX REPLACE "^link:[ \t]*\\[(.*)\\].*" "\\1" listed "${link_line}")
    string(REPLACE "," ";" listed "${listed}")
    foreach(l ${listed})
      string(STRIP "${l}" l)
      list(APPEND link_libraries ${l})
    endforeach()
  endif()
  file(GLOB headers ${config_dir}/*.h ${config_dir}/include/*.h)
  set(out ${ARG_OUT})
  set(generated ${out}/src/_${library}.c ${out}/src/bindery_python.h ${out}/${library}/__init__.py
      ${out}/${library}/__init__.pyi)
  set(layer_includes "")
  if(ARG_CXX_STD)
    list(APPEND generated ${out}/c_layer/src/${library}_c.cpp)
    list(PREPEND lib_sources ${out}/c_layer/src/${library}_c.cpp)
    set(layer_includes ${out}/c_layer/include ${out}/c_layer/src)
  endif()
  add_custom_command(
    OUTPUT ${generated}
    COMMAND bindery generate --target python --out ${out} -c ${ARG_CONFIG}
    DEPENDS bindery ${ARG_CONFIG} ${headers} ${ARG_DEPENDS}
            ${PROJECT_SOURCE_DIR}/runtime/python/bindery_python.h
    COMMENT "bindery: python binding of ${library}"
    VERBATIM)
  Python3_add_library(${target} MODULE WITH_SOABI ${out}/src/_${library}.c ${lib_sources})
  target_include_directories(${target} PRIVATE ${out}/src ${layer_includes} ${config_dir}
                             ${config_dir}/include)
  if(ARG_CXX_STD)
    string(REGEX REPLACE "^[a-z+]*\\+\\+" "" std_number "${ARG_CXX_STD}")  # c++20 → 20
    set_target_properties(${target} PROPERTIES CXX_STANDARD ${std_number} CXX_EXTENSIONS OFF)
  endif()
  target_compile_options(${target} PRIVATE ${BINDERY_WARNINGS})
  target_link_libraries(${target} PRIVATE ${link_libraries})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME _${library}
    LIBRARY_OUTPUT_DIRECTORY ${out}/${library}
    C_VISIBILITY_PRESET hidden)
endfunction()
