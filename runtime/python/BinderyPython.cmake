# bindery_add_python_module(<target> CONFIG <bindery.yaml> OUT <dir> [SOURCES <extra.c>...])
#
# Generates the Python binding of a C library at build time (so it always uses the current
# generator) and builds its extension into <dir>/<library>/, next to the generated __init__.py:
# put <dir> on PYTHONPATH and `import <library>`. The library's own `sources:` are read from the
# generated setup.py's neighbour, the bindery.yaml: pass them again as SOURCES, or link a target
# to <target>. Requires find_package(Python3 COMPONENTS Interpreter Development.Module).
function(bindery_add_python_module target)
  cmake_parse_arguments(ARG "" "CONFIG;OUT" "SOURCES;DEPENDS" ${ARGN})
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
  file(GLOB headers ${config_dir}/*.h ${config_dir}/include/*.h)
  set(out ${ARG_OUT})
  set(generated ${out}/src/_${library}.c ${out}/src/bindery_python.h ${out}/${library}/__init__.py
      ${out}/${library}/__init__.pyi)
  add_custom_command(
    OUTPUT ${generated}
    COMMAND bindery generate --target python --out ${out} -c ${ARG_CONFIG}
    DEPENDS bindery ${ARG_CONFIG} ${headers} ${ARG_DEPENDS}
            ${PROJECT_SOURCE_DIR}/runtime/python/bindery_python.h
    COMMENT "bindery: python binding of ${library}"
    VERBATIM)
  Python3_add_library(${target} MODULE WITH_SOABI ${out}/src/_${library}.c ${lib_sources})
  target_include_directories(${target} PRIVATE ${out}/src ${config_dir} ${config_dir}/include)
  target_compile_options(${target} PRIVATE ${BINDERY_WARNINGS})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME _${library}
    LIBRARY_OUTPUT_DIRECTORY ${out}/${library}
    C_VISIBILITY_PRESET hidden)
endfunction()
