# Builds main.c with make against the generated layer, runs it, and prints only its output (the
# test matches it exactly).
# LDFLAGS carries the sanitizer runtime when the layer itself was built with sanitizers.
execute_process(COMMAND ${MAKE} -s -C ${SRC} LAYER=${LAYER} LIB=${LIB} OUT=${OUT} "LDFLAGS=${LDFLAGS}" ${OUT}/double_input
                RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(rc)
  message(FATAL_ERROR "make failed:\n${log}")
endif()
execute_process(COMMAND ${OUT}/double_input RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(rc)
  message(FATAL_ERROR "double_input exited with ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E echo_append "${out}")
