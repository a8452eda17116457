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

# installer/pack.sh stages the files as the .wxs expects (x64/, x86/, admx/),
# signs them when a certificate is configured (installer/sign.cmake), runs
# wixl, signs the MSI and writes SHA256SUMS beside it. Rebuilt every time,
# like the cross builds.
include(${NR_INSTALLER_SRC}/sign.cmake)
find_program(NR_WIXL wixl REQUIRED)
find_program(NR_MSIINFO msiinfo REQUIRED)
find_program(NR_MSIBUILD msibuild REQUIRED)
set(NR_MSI_FIX ${CMAKE_COMMAND} -DMSIINFO=${NR_MSIINFO} -DMSIBUILD=${NR_MSIBUILD} -P
    ${NR_INSTALLER_SRC}/msi_fix.cmake)
add_custom_target(msi ALL
  COMMAND bash ${NR_INSTALLER_SRC}/pack.sh ${NR_MSI_STAGE} ${NR_WIN64_BIN} ${NR_WIN32_BIN}
          ${PROJECT_VERSION} ${NR_PRODUCT_CODE} ${NR_UPGRADE_CODE} ${NR_MSI} ${NR_SIGN_ARGS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/test-upgrade
  COMMAND ${CMAKE_COMMAND} -E chdir ${NR_MSI_STAGE} ${NR_WIXL} -a x64 -D Version=${NR_NEXT_VERSION}
          -D ProductCode=${NR_NEXT_PRODUCT_CODE} -D UpgradeCode=${NR_UPGRADE_CODE}
          -o ${NR_MSI_NEXT} ${NR_INSTALLER_SRC}/netreclaim.wxs
  COMMAND ${CMAKE_COMMAND} -DMSI=${NR_MSI_NEXT} ${NR_MSI_FIX}
  BYPRODUCTS ${NR_MSI} ${NR_MSI_NEXT} ${CMAKE_BINARY_DIR}/SHA256SUMS
  COMMENT "wixl: netreclaim-${PROJECT_VERSION}-x64.msi"
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
