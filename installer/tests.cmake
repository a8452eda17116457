# Native configuration: the MSI (wixl) from both cross builds, and the
# installer tests: netreclaim.exe under Wine, msiexec under Wine, the ADMX.
# NR_WIN64_BIN / NR_WIN32_BIN are the cross builds' bin dirs.
set(NR_INSTALLER_SRC ${CMAKE_CURRENT_LIST_DIR})
get_filename_component(NR_SOURCE_ROOT ${CMAKE_CURRENT_LIST_DIR} DIRECTORY)
set(NR_MSI ${CMAKE_BINARY_DIR}/netreclaim-${PROJECT_VERSION}-x64.msi)
set(NR_MSI_STAGE ${CMAKE_BINARY_DIR}/msi-stage)
# A test-only twin one patch version up (same files, new ProductCode), for the
# major-upgrade test; never shipped.
math(EXPR NR_NEXT_PATCH "${PROJECT_VERSION_PATCH} + 1")
set(NR_NEXT_VERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}.${NR_NEXT_PATCH})
set(NR_MSI_NEXT ${CMAKE_BINARY_DIR}/test-upgrade/netreclaim-${NR_NEXT_VERSION}-x64.msi)
nr_product_code(${PROJECT_VERSION} NR_PRODUCT_CODE)
nr_product_code(${NR_NEXT_VERSION} NR_NEXT_PRODUCT_CODE)
# Published beside the MSI, for detection rules.
set(NR_PRODUCT_CODE_FILE ${CMAKE_BINARY_DIR}/netreclaim-${PROJECT_VERSION}-x64.productcode.txt)
file(WRITE ${NR_PRODUCT_CODE_FILE} "${NR_PRODUCT_CODE}\n")

# installer/pack.sh stages the files as the .wxs expects (x64/, x86/, admx/,
# README.md, docs/), signs them when a certificate is configured (installer/sign.cmake),
# runs wixl, signs the MSI and writes SHA256SUMS beside it. Rebuilt every
# time, like the cross builds. The twin is packed the same way.
include(${NR_INSTALLER_SRC}/sign.cmake)
set(NR_ARP_HELP_LINK "" CACHE STRING
    "Add/Remove Programs' help link (empty: the README.md the MSI installs)")
set(NR_ARP_ABOUT_LINK "" CACHE STRING
    "Add/Remove Programs' about link (empty: the docs/security.md the MSI installs)")
set(NR_PACK_ARGS ${NR_SIGN_ARGS})
if(NR_ARP_HELP_LINK)
  list(APPEND NR_PACK_ARGS --help-link ${NR_ARP_HELP_LINK})
endif()
if(NR_ARP_ABOUT_LINK)
  list(APPEND NR_PACK_ARGS --about-link ${NR_ARP_ABOUT_LINK})
endif()
# pack.sh runs these.
find_program(NR_WIXL wixl REQUIRED)
find_program(NR_MSIINFO msiinfo REQUIRED)
find_program(NR_MSIBUILD msibuild REQUIRED)
add_custom_target(msi ALL
  COMMAND bash ${NR_INSTALLER_SRC}/pack.sh ${NR_MSI_STAGE} ${NR_WIN64_BIN} ${NR_WIN32_BIN}
          ${PROJECT_VERSION} ${NR_PRODUCT_CODE} ${NR_UPGRADE_CODE} ${NR_MSI} ${NR_PACK_ARGS}
  COMMAND bash ${NR_INSTALLER_SRC}/pack.sh ${NR_MSI_STAGE}-next ${NR_WIN64_BIN} ${NR_WIN32_BIN}
          ${NR_NEXT_VERSION} ${NR_NEXT_PRODUCT_CODE} ${NR_UPGRADE_CODE} ${NR_MSI_NEXT}
          ${NR_PACK_ARGS}
  BYPRODUCTS ${NR_MSI} ${NR_MSI_NEXT} ${CMAKE_BINARY_DIR}/SHA256SUMS
  COMMENT "pack.sh: netreclaim-${PROJECT_VERSION}-x64.msi"
  VERBATIM)
add_dependencies(msi win-x86_64 win-i686)

find_program(NR_XMLLINT xmllint REQUIRED)
add_test(NAME installer_msi_tables
         COMMAND bash ${NR_INSTALLER_SRC}/tests/msi_tables.sh ${NR_MSI} ${NR_MSI_NEXT})
add_test(NAME installer_admx COMMAND bash ${NR_INSTALLER_SRC}/tests/admx_check.sh ${NR_SOURCE_ROOT})

# Wine tests: each gets a fresh prefix copied from the scenarios' template
# (fixture wine_template, tests/wine/scenarios.cmake) under the same work dir,
# and stops only its own wineserver.
set(NR_INSTALLER_WORK ${CMAKE_BINARY_DIR}/wine)
foreach(name cli_roundtrip cli_refuse cli_doctor cli_json cli_handles cli_handoff why
             readme_sample)
  add_test(NAME installer_${name}
           COMMAND bash ${NR_INSTALLER_SRC}/tests/${name}.sh ${NR_INSTALLER_WORK}
                   ${NR_WIN64_BIN} ${NR_WIN32_BIN})
endforeach()
add_test(NAME installer_msi
         COMMAND bash ${NR_INSTALLER_SRC}/tests/msi.sh ${NR_INSTALLER_WORK}
                 ${NR_WIN64_BIN} ${NR_WIN32_BIN} ${NR_MSI})
add_test(NAME installer_msi_rollback
         COMMAND bash ${NR_INSTALLER_SRC}/tests/msi_rollback.sh ${NR_INSTALLER_WORK}
                 ${NR_WIN64_BIN} ${NR_WIN32_BIN} ${NR_MSI})
foreach(name msi_upgrade msi_upgrade_rollback)
  add_test(NAME installer_${name}
           COMMAND bash ${NR_INSTALLER_SRC}/tests/${name}.sh ${NR_INSTALLER_WORK}
                   ${NR_WIN64_BIN} ${NR_WIN32_BIN} ${NR_MSI} ${NR_MSI_NEXT})
endforeach()
foreach(name cli_roundtrip cli_refuse cli_doctor cli_json cli_handles cli_handoff why
             readme_sample msi msi_rollback msi_upgrade msi_upgrade_rollback)
  set_tests_properties(installer_${name} PROPERTIES
    FIXTURES_REQUIRED wine_template TIMEOUT 600
    ENVIRONMENT "NR_CMAKE=${CMAKE_COMMAND}")
endforeach()
