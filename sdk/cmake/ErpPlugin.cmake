# erp_add_plugin(NAME SOURCES src... [LINK lib...] [OUTPUT_DIR dir] [NO_INSTALL])
# Builds every plugin the same way (CONVENTIONS 7): a MODULE named erp-<NAME>.so with hidden
# visibility and no undefined symbols, linked against the SDK, installed with the other plugins.
include_guard(GLOBAL)

function(erp_add_plugin name)
  cmake_parse_arguments(ARG "NO_INSTALL" "OUTPUT_DIR" "SOURCES;LINK" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "erp_add_plugin(${name}): SOURCES is required")
  endif()
  set(target erp-plugin-${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  if(TARGET erp::sdk)
    target_link_libraries(${target} PRIVATE erp::sdk)
  endif()
  if(ARG_LINK)
    target_link_libraries(${target} PRIVATE ${ARG_LINK})
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME erp-${name}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
  if(ARG_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR})
  elseif(DEFINED ERP_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ERP_PLUGIN_OUTPUT_DIR})
  endif()
  if(NOT ARG_NO_INSTALL)
    if(NOT DEFINED ERP_PLUGIN_INSTALL_DIR)
      include(GNUInstallDirs)
      set(ERP_PLUGIN_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/erpd/plugins)
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION ${ERP_PLUGIN_INSTALL_DIR} COMPONENT plugins)
  endif()
endfunction()
