# cmake -DJSON_FILE=f -DWANT_COMMAND=c -DWANT_EXIT=n -P json_check.cmake: the
# file is one JSON object from netreclaim --json, for command c, exit code n.
file(READ "${JSON_FILE}" text)
string(JSON got_command ERROR_VARIABLE error GET "${text}" command)
if(error)
  message(FATAL_ERROR "not netreclaim JSON (${error}):\n${text}")
endif()
string(JSON got_exit GET "${text}" exit)
string(JSON messages_type TYPE "${text}" messages)
if(NOT got_command STREQUAL WANT_COMMAND OR NOT got_exit EQUAL WANT_EXIT OR
   NOT messages_type STREQUAL "ARRAY")
  message(FATAL_ERROR "expected command ${WANT_COMMAND}, exit ${WANT_EXIT}:\n${text}")
endif()
message(STATUS "JSON ok: ${got_command}, exit ${got_exit}")
