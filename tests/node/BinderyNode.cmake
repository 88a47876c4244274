# bindery_node_package(<target> <bindery.yaml> <library> <out dir> [extra inputs...])
# Generates the npm package for <bindery.yaml> into <out dir> and builds <out dir>/build/<library>.node
# with the package's build.js (warnings are errors under BINDERY_WERROR).
function(bindery_node_package target config library out)
  get_filename_component(config_dir ${config} DIRECTORY)
  file(GLOB inputs ${config_dir}/*.h ${config_dir}/*.c)
  list(APPEND inputs ${ARGN})
  set(cflags "-Wall -Wextra")
  if(BINDERY_WERROR)
    set(cflags "${cflags} -Werror")
  endif()
  set(addon ${out}/build/${library}.node)
  add_custom_command(
    OUTPUT ${addon} ${out}/index.js ${out}/index.d.ts
    COMMAND $<TARGET_FILE:bindery> generate --target node --out ${out} -c ${config}
    COMMAND ${CMAKE_COMMAND} -E env "BINDERY_CFLAGS=${cflags}" ${NODE_EXECUTABLE} ${out}/build.js
    DEPENDS bindery ${config} ${inputs} ${PROJECT_SOURCE_DIR}/runtime/node/bindery_node.h
    COMMENT "node: generating and building the ${library} addon"
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${addon})
endfunction()
