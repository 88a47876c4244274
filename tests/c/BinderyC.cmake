# bindery_c_layer(NAME <lib> CONFIG <bindery.yaml> OUT <dir> [DEPENDS files…] [SANITIZE])
#
# Generates the C layer of a C++ library at build time with `bindery generate --target c` and builds its shim source
# into a static library <lib>_c_layer (include dir: <dir>/include). The C++ library itself is
# linked (or compiled in) by the caller. The generated CMakeLists.txt is exercised on its own by
# the `c.install` test; here the shims join this build so the tests can sanitise them.
set(BINDERY_C_SANITIZE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)

function(bindery_c_layer)
  cmake_parse_arguments(arg "SANITIZE" "NAME;CONFIG;OUT;TARGET" "DEPENDS;SOURCES" ${ARGN})
  set(out ${arg_OUT})
  add_custom_command(
    OUTPUT ${out}/include/${arg_NAME}.h ${out}/src/${arg_NAME}_c.cpp ${out}/bindery.yaml ${out}/CMakeLists.txt
    COMMAND bindery generate --target c --out ${out} -c ${arg_CONFIG}
    DEPENDS bindery ${arg_CONFIG} ${arg_DEPENDS} ${PROJECT_SOURCE_DIR}/runtime/c/bindery_c_runtime.hpp
    COMMENT "c: generating the C layer of ${arg_NAME}")
  add_library(${arg_TARGET} STATIC ${out}/src/${arg_NAME}_c.cpp ${arg_SOURCES})
  target_include_directories(${arg_TARGET} PUBLIC ${out}/include)
  target_compile_features(${arg_TARGET} PRIVATE cxx_std_20)
  target_compile_options(${arg_TARGET} PRIVATE ${BINDERY_WARNINGS} -Wpedantic)
  set_target_properties(${arg_TARGET} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  if(arg_SANITIZE)
    target_compile_options(${arg_TARGET} PRIVATE ${BINDERY_C_SANITIZE})
    target_link_options(${arg_TARGET} PUBLIC ${BINDERY_C_SANITIZE})
  endif()
endfunction()
