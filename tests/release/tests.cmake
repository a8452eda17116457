# Native configuration: the release checks. signing packs a signed copy of
# the MSI in its own folder (the normal build stays unsigned); reproducible
# builds the Windows artifacts twice, in two other folders. Neither needs Wine.
set(NR_RELEASE_SRC ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME signing
         COMMAND bash ${NR_RELEASE_SRC}/signing.sh ${CMAKE_BINARY_DIR}/signing
                 ${NR_WIN64_BIN} ${NR_WIN32_BIN} ${PROJECT_VERSION} ${NR_PRODUCT_CODE}
                 ${NR_UPGRADE_CODE})
add_test(NAME reproducible
         COMMAND bash ${NR_RELEASE_SRC}/reproducible.sh ${CMAKE_BINARY_DIR}/reproducible
                 ${NR_WIN_BUILD_TYPE})
set_tests_properties(signing PROPERTIES TIMEOUT 300)
set_tests_properties(reproducible PROPERTIES TIMEOUT 900)
