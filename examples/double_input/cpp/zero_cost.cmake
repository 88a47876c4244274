# Proves the wrappers cost nothing: disassembles OBJ and compares each wrapped_<name> function with
# its direct_<name> twin (addresses, symbol offsets and alignment padding removed; `<fn>.cold`
# parts, which only run on failure, are separate symbols and not counted).
#   -DOBJ=... -DOBJDUMP=... -DPAIRS="call;four" [-DMODE=identical|at_most]
# identical: the same instruction sequence (plain scalar calls). at_most: the wrapper has no more
# instructions than the direct C code written the careful way (NULL, error and closed checks).
if(NOT MODE)
  set(MODE identical)
endif()
execute_process(COMMAND ${OBJDUMP} -d --no-show-raw-insn ${OBJ} OUTPUT_VARIABLE asm RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "objdump failed")
endif()
function(body name out count)
  string(REGEX MATCH "<${name}>:\n([^\n]+\n)+" block "${asm}")
  if(block STREQUAL "")
    message(FATAL_ERROR "no ${name} in the object")
  endif()
  string(REGEX REPLACE "<${name}>:\n" "" block "${block}")
  string(REGEX REPLACE "[ \t]*[0-9a-f]+:[ \t]*" "" block "${block}")       # addresses
  string(REGEX REPLACE "<[^>]*>" "" block "${block}")                        # symbol offsets
  string(REGEX REPLACE "[0-9a-f]+ *\n" "\n" block "${block}")                # call targets (relocs)
  string(REGEX REPLACE "[^\n]*(nop|xchg +%ax,%ax)[^\n]*\n" "" block "${block}") # alignment padding
  string(REGEX REPLACE "\n\n+" "\n" block "${block}")
  string(REGEX MATCHALL "\n" lines "\n${block}")
  list(LENGTH lines n)
  math(EXPR n "${n} - 1")
  set(${out} "${block}" PARENT_SCOPE)
  set(${count} ${n} PARENT_SCOPE)
endfunction()
set(table "| function | direct C | wrapper |\n|---|---|---|\n")
set(failed "")
foreach(pair IN LISTS PAIRS)
  body(direct_${pair} direct direct_n)
  body(wrapped_${pair} wrapped wrapped_n)
  string(APPEND table "| ${pair} | ${direct_n} | ${wrapped_n} |\n")
  if(MODE STREQUAL "identical" AND NOT direct STREQUAL wrapped)
    string(APPEND failed "wrapped_${pair} differs from direct_${pair}:\n--- direct\n${direct}--- wrapped\n${wrapped}")
  elseif(MODE STREQUAL "at_most" AND wrapped_n GREATER direct_n)
    string(APPEND failed "wrapped_${pair}: ${wrapped_n} instructions, direct_${pair}: ${direct_n}\n--- direct\n${direct}--- wrapped\n${wrapped}")
  endif()
endforeach()
message(STATUS "instructions at -O2 (${MODE}):\n${table}")
if(failed)
  message(FATAL_ERROR "${failed}")
endif()
