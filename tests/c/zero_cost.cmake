# c.zero_cost: at -O2 a shim whose values cross unchanged (scalars, handles, structs of the same
# layout) compiles to a single `jmp` into the C++ function: one extra jump, no frame, no copy.
execute_process(COMMAND ${OBJDUMP} -d --no-show-raw-insn ${OBJ} RESULT_VARIABLE rc OUTPUT_VARIABLE asm)
if(rc)
  message(FATAL_ERROR "objdump failed")
endif()
string(REPLACE "," ";" FUNCTIONS "${FUNCTIONS}")
foreach(fn ${FUNCTIONS})
  string(REGEX MATCH "<${fn}>:\n[^\n]*\n" body "${asm}")
  if(NOT body MATCHES "\tjmp ")
    message(FATAL_ERROR "${fn} is not a single jump:\n${body}")
  endif()
  message(STATUS "${fn}: one jmp")
endforeach()
