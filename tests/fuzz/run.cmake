# One fuzz test: the target's regression inputs once each, then fuzzing for
# SECONDS over a scratch copy of its seed corpus, so that what libFuzzer
# adds lands in the build tree (WORK), never in the source tree.
#   cmake -DFUZZER=<binary> -DTARGET=<name> -DSOURCE=<tests/fuzz> -DWORK=<dir>
#         -DSECONDS=<n> -P run.cmake
if(DEFINED ENV{NR_FUZZ_SECONDS})
  set(SECONDS $ENV{NR_FUZZ_SECONDS})
endif()
set(options -timeout=5 -rss_limit_mb=2048 -artifact_prefix=${WORK}/artifacts/)
file(MAKE_DIRECTORY ${WORK}/corpus ${WORK}/artifacts)

# Files as arguments make libFuzzer run each once; a directory it would fuzz.
file(GLOB regressions ${SOURCE}/regressions/${TARGET}/*)
if(regressions)
  execute_process(COMMAND ${FUZZER} ${options} ${regressions} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "fuzz_${TARGET}: a regression input fails again")
  endif()
endif()

file(COPY ${SOURCE}/corpus/${TARGET}/ DESTINATION ${WORK}/corpus)
execute_process(COMMAND ${FUZZER} ${options} -max_total_time=${SECONDS} ${WORK}/corpus
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzz_${TARGET}: failed (${rc}); the input is in ${WORK}/artifacts")
endif()
