# wixl 0.101 (Debian 12) writes a CustomAction with Execute="rollback" as an
# immediate one: its Type lacks msidbCustomActionTypeInScript (0x400) and
# msidbCustomActionTypeRollback (0x100), so it ran at once, as the user, and
# never on a rollback (measured: Wine's msi trace showed type 0x852; msitools
# fixed it in 0.102). This sets both on every action named *Rollback that
# lacks them; installer/tests/msi_tables.sh checks the result.
# Usage: cmake -DMSI=<msi> -DMSIINFO=<msiinfo> -DMSIBUILD=<msibuild> -P msi_fix.cmake
execute_process(COMMAND ${MSIINFO} export ${MSI} CustomAction
                OUTPUT_VARIABLE table RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "msiinfo export ${MSI} CustomAction failed: ${rc}")
endif()
string(REGEX MATCHALL "[A-Za-z0-9_]+Rollback\t[0-9]+" rows "${table}")
foreach(row IN LISTS rows)
  string(REGEX MATCH "^([A-Za-z0-9_]+)\t([0-9]+)$" _ "${row}")
  set(name ${CMAKE_MATCH_1})
  set(type ${CMAKE_MATCH_2})
  math(EXPR in_script "${type} & 0x400")
  if(NOT in_script)
    math(EXPR type "${type} | 0x500")
    execute_process(COMMAND ${MSIBUILD} ${MSI}
                    -q "UPDATE `CustomAction` SET `Type` = ${type} WHERE `Action` = '${name}'"
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "msibuild could not make ${name} a rollback action: ${rc}")
    endif()
  endif()
endforeach()
