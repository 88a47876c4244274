# Compares a generated file with its golden copy; BINDERY_UPDATE_GOLDEN=1 in the environment
# rewrites the golden copy instead (review the diff, then commit it).
#   cmake -DACTUAL=... -DEXPECTED=... -P check_golden.cmake
if(NOT EXISTS "${ACTUAL}")
  message(FATAL_ERROR "generated file missing: ${ACTUAL}")
endif()
if("$ENV{BINDERY_UPDATE_GOLDEN}" STREQUAL "1")
  configure_file("${ACTUAL}" "${EXPECTED}" COPYONLY)
  message(STATUS "updated ${EXPECTED}")
  return()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${ACTUAL}" "${EXPECTED}" RESULT_VARIABLE differs)
if(differs)
  execute_process(COMMAND diff -u "${EXPECTED}" "${ACTUAL}")
  message(FATAL_ERROR "${ACTUAL} differs from ${EXPECTED}; if intended: BINDERY_UPDATE_GOLDEN=1 ctest -L cpp -R golden")
endif()
