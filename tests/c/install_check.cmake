# c.install: the generated CMakeLists.txt builds and installs a static and a shared library with a
# pkg-config file and a CMake package; a C99 program then builds against the installed copy with
# `pkg-config --static` alone and runs. The shared library exports the C interface only.
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${GENERATED} -B ${WORK}/build -G ${GENERATOR}
                        -DCMAKE_INSTALL_PREFIX=${WORK}/prefix -DCMAKE_BUILD_TYPE=Release
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the generated project failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK}/build --target install -j 2 RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building or installing the generated project failed")
endif()
foreach(f include/shapes.h include/bindery/annotate.h lib/libshapes_c.a lib/libshapes_c.so
          lib/pkgconfig/shapes_c.pc lib/cmake/shapes_c/shapes_cConfig.cmake)
  if(NOT EXISTS ${WORK}/prefix/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
# Symbol visibility: the shared library exports the C interface (shapes_*) and nothing else; the
# C++ library and the shims' helpers inside it are hidden.
find_program(NM nm)
if(NM)
  execute_process(COMMAND ${NM} -D --defined-only --format=posix ${WORK}/prefix/lib/libshapes_c.so
                  OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "nm failed on libshapes_c.so")
  endif()
  string(REPLACE "\n" ";" symbols "${symbols}")
  set(exported 0)
  foreach(line ${symbols})
    string(REGEX REPLACE " .*" "" name "${line}")
    if(name STREQUAL "" OR name MATCHES "^(_init|_fini|_edata|_end|__bss_start)$")
      continue()  # the linker's own
    endif()
    if(line MATCHES "^[^ ]+ u ")
      # A GNU unique object: a static local of an inline libstdc++ function (std::to_chars' digit
      # table). The toolchain keeps these global so that every copy of the library agrees on one.
      continue()
    endif()
    if(NOT name MATCHES "^shapes_")
      message(FATAL_ERROR "libshapes_c.so exports '${name}', which is not part of the C interface")
    endif()
    math(EXPR exported "${exported} + 1")
  endforeach()
  if(exported LESS 40)
    message(FATAL_ERROR "libshapes_c.so exports only ${exported} C functions")
  endif()
  message(STATUS "libshapes_c.so exports ${exported} symbols, all shapes_*")
endif()
find_program(PKG_CONFIG pkg-config)
find_program(CC NAMES cc gcc)
if(NOT PKG_CONFIG OR NOT CC)
  message(FATAL_ERROR "pkg-config and a C compiler are needed")
endif()
set(ENV{PKG_CONFIG_PATH} ${WORK}/prefix/lib/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --cflags shapes_c OUTPUT_VARIABLE cflags OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${PKG_CONFIG} --static --libs-only-other --libs-only-l shapes_c
                OUTPUT_VARIABLE libs OUTPUT_STRIP_TRAILING_WHITESPACE)
# C callers compile with -fexceptions, so that LTO can inline the shims that catch (bench/c/README.md).
if(NOT cflags MATCHES "-fexceptions")
  message(FATAL_ERROR "pkg-config --cflags shapes_c does not give -fexceptions: ${cflags}")
endif()
file(READ ${WORK}/prefix/lib/cmake/shapes_c/shapes_cTargets.cmake targets)
if(NOT targets MATCHES "INTERFACE_COMPILE_OPTIONS[^\n]*COMPILE_LANGUAGE:C[^\n]*-fexceptions")
  message(FATAL_ERROR "the CMake package does not give C callers -fexceptions")
endif()
separate_arguments(cflags UNIX_COMMAND "${cflags}")
separate_arguments(libs UNIX_COMMAND "${libs}")
# -l would pick the shared library: name the archive, then the private libraries.
list(REMOVE_ITEM libs -lshapes_c)
execute_process(COMMAND ${CC} -std=c99 -Wall -Wextra -Werror -pedantic ${cflags} ${PROGRAM}
                        ${WORK}/prefix/lib/libshapes_c.a ${libs} -o ${WORK}/program
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "the C program did not build against the installed library")
endif()
execute_process(COMMAND ${WORK}/program RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(rc OR NOT out STREQUAL "area 4.0\n")
  message(FATAL_ERROR "the C program failed: ${out}")
endif()
message(STATUS "installed, found with pkg-config, linked statically: ${out}")
