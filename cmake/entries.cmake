# nr_read_entries(<var>): the NP entry points of provider/entries.h, in
# order, as a CMake list (the export names): both lists, the typed entries
# (NRP_ENTRIES) then the thunked ones (NRP_THUNKED), every line of either in
# the X(field, export) shape. The provider's .def and the static export
# check both come from it.
function(nr_read_entries var)
  set(header ${CMAKE_SOURCE_DIR}/provider/entries.h)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${header})
  file(READ ${header} text)
  string(REGEX MATCHALL "\n +X\\([a-z0-9_]+, NP[A-Za-z0-9]+\\)" lines "${text}")
  set(names "")
  foreach(line ${lines})
    string(REGEX REPLACE "^\n +X\\([a-z0-9_]+, (NP[A-Za-z0-9]+)\\)$" "\\1" name "${line}")
    list(APPEND names ${name})
  endforeach()
  list(LENGTH names count)
  if(count EQUAL 0)
    message(FATAL_ERROR "no NP entry points found in ${header}")
  endif()
  set(${var} ${names} PARENT_SCOPE)
endfunction()
