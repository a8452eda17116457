# cmake -DJSON_FILE=f -DKEYS="a;0;b" -P json_get.cmake: prints the value at
# that path of the JSON object in f (strings as they are, numbers and
# true/false as written, arrays and objects as JSON); fails when it is
# missing. The "why" test checks its fields one by one with it.
file(READ "${JSON_FILE}" text)
string(JSON value ERROR_VARIABLE error GET "${text}" ${KEYS})
if(error)
  message(FATAL_ERROR "no ${KEYS} (${error}) in:\n${text}")
endif()
string(JSON type TYPE "${text}" ${KEYS})
if(type STREQUAL "BOOLEAN")
  if(value)
    set(value true)
  else()
    set(value false)
  endif()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E echo "${value}")
