# Every dependency comes from Debian's packages (scripts/setup installs them).
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)

# libclang's C API. Debian ships it under /usr/lib/llvm-<N>; prefer 14, accept newer.
find_path(LIBCLANG_INCLUDE_DIR clang-c/Index.h
  HINTS /usr/lib/llvm-14/include /usr/lib/llvm-15/include /usr/lib/llvm-16/include)
find_library(LIBCLANG_LIBRARY NAMES clang clang-14
  HINTS /usr/lib/llvm-14/lib /usr/lib/llvm-15/lib /usr/lib/llvm-16/lib)
if(NOT LIBCLANG_INCLUDE_DIR OR NOT LIBCLANG_LIBRARY)
  message(FATAL_ERROR "libclang not found: run scripts/setup (installs libclang-dev)")
endif()
get_filename_component(LIBCLANG_LIBDIR "${LIBCLANG_LIBRARY}" DIRECTORY)
# libclang needs its resource directory (stddef.h, stdbool.h …) to parse system headers.
file(GLOB LIBCLANG_RESOURCE_DIR "${LIBCLANG_LIBDIR}/clang/*")
list(GET LIBCLANG_RESOURCE_DIR 0 LIBCLANG_RESOURCE_DIR)
add_library(libclang::libclang UNKNOWN IMPORTED)
set_target_properties(libclang::libclang PROPERTIES
  IMPORTED_LOCATION "${LIBCLANG_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${LIBCLANG_INCLUDE_DIR}")
