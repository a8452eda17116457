# Wine integration tests (native build). The cross builds put their programs
# in NR_WIN64_BIN / NR_WIN32_BIN; every scenario gets its own prefix under
# build/wine/<scenario>, copied from a template made once per ctest run.
set(NR_WINE_SRC ${CMAKE_CURRENT_LIST_DIR})
set(NR_WINE_WORK ${CMAKE_BINARY_DIR}/wine)

add_test(NAME wine-template COMMAND bash ${NR_WINE_SRC}/template.sh ${NR_WINE_WORK})
set_tests_properties(wine-template PROPERTIES FIXTURES_SETUP wine_template TIMEOUT 600)

foreach(scenario baseline diff npdiff
                 ledger_stale ledger_keepconn ledger_faults ledger_concurrency ledger_origin
                 planted)
  add_test(NAME wine-${scenario}
           COMMAND bash ${NR_WINE_SRC}/scenario_${scenario}.sh ${NR_WINE_WORK} ${NR_WIN64_BIN})
  set_tests_properties(wine-${scenario} PROPERTIES FIXTURES_REQUIRED wine_template
                       TIMEOUT 300)
endforeach()

# The reclaim after a successful stock cancel (netreclaim in front of the
# model): Q245006 fixed, modes and settings, the never-hang bound; a process
# exiting mid-reclaim; faults (broken stock provider, wrong-typed policy, 16
# cancels at once); the trace; only the SMB redirector's names; the mutants
# that survived, and end to end the rules only unit tests pinned
# (protect-from-close, the ledger checksum, case-insensitive shares, prefixes
# compared by component); a 32-bit program's reclaim handed to netreclaim.exe
# (handoff); rule 3: a cancel named by a server alone, by the caller or by
# the stock provider, never reclaims under the whole server (whole_server);
# nrconform.exe, the Windows-facts program, against the model alone and
# with NetReclaim in front (conform, docs/windows-evidence.md); each self-check
# failed makes the reclaims an audit, with its record (selfcheck).
foreach(scenario reclaim reclaim_modes reclaim_hang reclaim_exit faults trace smb_only
                 mutants e2e_rules handoff whole_server conform selfcheck)
  string(REPLACE "_" "-" name ${scenario})
  add_test(NAME wine-${name}
           COMMAND bash ${NR_WINE_SRC}/scenario_${scenario}.sh ${NR_WINE_WORK} ${NR_WIN64_BIN})
  set_tests_properties(wine-${name} PROPERTIES FIXTURES_REQUIRED wine_template TIMEOUT 300)
endforeach()
# conform runs nrconform twice, each with its child processes: 23 to 44 s at
# ordinary load, 294 s once at load 24, so its bound is twice the others'.
set_tests_properties(wine-conform PROPERTIES TIMEOUT 600)

# the conformance test of the real seam (provider/win/tests/seam_test.c),
# fault injection into the handle snapshot included.
add_test(NAME wine-seam
         COMMAND bash ${NR_WINE_SRC}/scenario_seam.sh ${NR_WINE_WORK} ${NR_WIN64_BIN})
set_tests_properties(wine-seam PROPERTIES FIXTURES_REQUIRED wine_template TIMEOUT 300)

add_test(NAME wine32-suite
         COMMAND bash ${NR_WINE_SRC}/scenario_wine32.sh ${NR_WINE_WORK} ${NR_WIN32_BIN})
set_tests_properties(wine32-suite PROPERTIES FIXTURES_REQUIRED wine_template
                     SKIP_RETURN_CODE 77 TIMEOUT 600)

# Static checks of the provider DLLs (exports, system-only imports). The
# exports expected are the entry points of provider/entries.h.
include(${CMAKE_SOURCE_DIR}/cmake/entries.cmake)
nr_read_entries(NR_ENTRIES)
foreach(arch x86_64 i686)
  if(arch STREQUAL x86_64)
    set(bin ${NR_WIN64_BIN})
  else()
    set(bin ${NR_WIN32_BIN})
  endif()
  find_program(NR_OBJDUMP_${arch} ${arch}-w64-mingw32-objdump REQUIRED)
  foreach(dll netreclaim nrmodel)
    add_test(NAME static-${dll}-${arch}
             COMMAND bash ${NR_WINE_SRC}/check_dll.sh ${NR_OBJDUMP_${arch}} ${bin}/${dll}.dll
                     ${NR_ENTRIES})
  endforeach()
endforeach()
