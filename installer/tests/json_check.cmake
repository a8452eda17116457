# cmake -DJSON_FILE=f -DCOMMAND=c -DEXIT=n -P json_check.cmake: the file is one
# JSON object from netreclaim --json, for command c, exiting with n.
file(READ "${JSON_FILE}" text)
string(JSON command ERROR_VARIABLE error GET "${text}" command)
if(error)
  message(FATAL_ERROR "not netreclaim JSON (${error}):\n${text}")
endif()
string(JSON exit GET "${text}" exit)
string(JSON messages TYPE "${text}" messages)
if(NOT command STREQUAL COMMAND OR NOT exit EQUAL EXIT OR NOT messages STREQUAL "ARRAY")
  message(FATAL_ERROR "expected command ${COMMAND}, exit ${EXIT}:\n${text}")
endif()
message(STATUS "JSON ok: ${COMMAND}, exit ${exit}")
