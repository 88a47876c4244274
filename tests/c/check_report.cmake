# c.check: `bindery check` on a C++ library lists what the C interface leaves out, each with its
# reason. EXPECT is a ;-separated list of regular expressions the report must match.
execute_process(COMMAND ${BINDERY} check -c ${CONFIG} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "bindery check failed (${rc}):\n${out}${err}")
endif()
foreach(expect ${EXPECT})
  if(NOT out MATCHES "${expect}")
    message(FATAL_ERROR "the report does not say '${expect}':\n${out}")
  endif()
  message(STATUS "reported: ${CMAKE_MATCH_0}")
endforeach()
