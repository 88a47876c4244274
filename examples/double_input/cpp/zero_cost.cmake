# Proves the wrapper costs nothing: disassembles OBJ and compares each wrapped_* function with its
# direct_* twin instruction by instruction (addresses and symbol offsets removed). -DOBJ=... -DOBJDUMP=...
execute_process(COMMAND ${OBJDUMP} -d --no-show-raw-insn ${OBJ} OUTPUT_VARIABLE asm RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "objdump failed")
endif()
function(body name out)
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
  set(${out} "${block}" PARENT_SCOPE)
endfunction()
foreach(pair call four)
  body(direct_${pair} direct)
  body(wrapped_${pair} wrapped)
  if(NOT direct STREQUAL wrapped)
    message(FATAL_ERROR "wrapped_${pair} differs from direct_${pair}:\n--- direct\n${direct}--- wrapped\n${wrapped}")
  endif()
  message(STATUS "${pair}: identical\n${wrapped}")
endforeach()
