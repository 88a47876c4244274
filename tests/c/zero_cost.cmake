# c.zero_cost: at -O2 a shim whose values cross unchanged (scalars, handles, structs of the same
# layout) compiles to a single `jmp` into the C++ function: one extra jump, no frame, no copy.
# -r: calls in an object are relocations (the catch handler's __cxa_begin_catch among them).
execute_process(COMMAND ${OBJDUMP} -dr --no-show-raw-insn ${OBJ} RESULT_VARIABLE rc OUTPUT_VARIABLE asm)
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

# A status shim over a noexcept call with nothing to allocate (an optional result: NO_EH) has no
# exception region, so GCC's LTO may inline it into a C caller built without -fexceptions
# (bench/c/README.md); a shim over a throwing call (EH) catches, which is what makes that check mean
# something.
string(REPLACE "," ";" NO_EH "${NO_EH}")
string(REPLACE "," ";" EH "${EH}")
foreach(fn ${NO_EH} ${EH})
  string(REGEX MATCH "<${fn}>:\n([^\n]+\n)*" body "${asm}")
  if(body STREQUAL "")
    message(FATAL_ERROR "${fn} is not in the object")
  endif()
  # GCC moves a catch handler out of line, into <fn.cold> (.text.unlikely).
  string(REGEX MATCH "<${fn}\\.cold>:\n([^\n]+\n)*" cold "${asm}")
  string(APPEND body "${cold}")
  string(FIND "${body}" "__cxa_begin_catch" catch)
  list(FIND NO_EH "${fn}" must_not_catch)
  if(NOT must_not_catch EQUAL -1 AND NOT catch EQUAL -1)
    message(FATAL_ERROR "${fn} catches exceptions, though nothing in it can throw:\n${body}")
  elseif(must_not_catch EQUAL -1 AND catch EQUAL -1)
    message(FATAL_ERROR "${fn} does not catch, though the C++ function may throw:\n${body}")
  endif()
  if(must_not_catch EQUAL -1)
    message(STATUS "${fn}: catches")
  else()
    message(STATUS "${fn}: no exception region")
  endif()
endforeach()

# A struct result (STORE_DIRECT) is stored from the registers the C++ function returned it in
# straight through `out`: put() copies its bytes when the layouts match. A member-by-member copy
# makes GCC 12 spill it to the stack and copy it from there (two instructions more a call).
string(REPLACE "," ";" STORE_DIRECT "${STORE_DIRECT}")
foreach(fn ${STORE_DIRECT})
  string(REGEX MATCH "<${fn}>:\n([^\n]+\n)*" body "${asm}")
  string(FIND "${body}" "\tret" end)
  if(end EQUAL -1)
    message(FATAL_ERROR "${fn} has no return:\n${body}")
  endif()
  string(SUBSTRING "${body}" 0 ${end} hot)
  if(hot MATCHES "\\(%rsp\\)")
    message(FATAL_ERROR "${fn} copies its result through the stack:\n${hot}")
  endif()
  message(STATUS "${fn}: result stored straight through out")
endforeach()
