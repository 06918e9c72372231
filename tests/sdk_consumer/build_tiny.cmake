# Builds tests/sdk_consumer/tiny the way a plugin author would: install the SDK component of this
# build to a fresh prefix, configure the tiny project against that prefix only, build it.
#   cmake -DERP_BUILD_DIR=... -DTINY_SOURCE_DIR=... -DWORK_DIR=... -DOUTPUT_DIR=...
#         -DCXX_COMPILER=... -DGENERATOR=... -DBUILD_TYPE=... -P build_tiny.cmake
cmake_minimum_required(VERSION 3.19)
foreach(var ERP_BUILD_DIR TINY_SOURCE_DIR WORK_DIR OUTPUT_DIR CXX_COMPILER GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "build_tiny.cmake: ${var} is not set")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sdk_consumer: ${what} failed (${rc})\n${out}\n${err}")
  endif()
  message(STATUS "sdk_consumer: ${what}: ok")
endfunction()

file(REMOVE_RECURSE ${WORK_DIR} ${OUTPUT_DIR})
set(prefix ${WORK_DIR}/prefix)
run("install the sdk component to ${prefix}"
  ${CMAKE_COMMAND} --install ${ERP_BUILD_DIR} --component sdk --prefix ${prefix})

run("configure the tiny plugin"
  ${CMAKE_COMMAND} -S ${TINY_SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DTINY_OUTPUT_DIR=${OUTPUT_DIR})
# The package must come from the fresh prefix, not from a stale system-wide install.
file(STRINGS ${WORK_DIR}/build/CMakeCache.txt found_dir REGEX "^erp-sdk_DIR:")
string(FIND "${found_dir}" "${prefix}/" at)
if(NOT at GREATER -1)
  message(FATAL_ERROR "sdk_consumer: erp-sdk was found outside ${prefix}: ${found_dir}")
endif()
run("build the tiny plugin" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)

set(plugin ${OUTPUT_DIR}/erp-tiny.so)
if(NOT EXISTS ${plugin})
  message(FATAL_ERROR "sdk_consumer: ${plugin} was not built")
endif()
# The host refuses plugins that group or others can write; do not depend on the caller's umask.
file(CHMOD ${OUTPUT_DIR} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
  WORLD_READ WORLD_EXECUTE)
file(CHMOD ${plugin} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
  WORLD_READ WORLD_EXECUTE)
message(STATUS "sdk_consumer: built ${plugin}")
