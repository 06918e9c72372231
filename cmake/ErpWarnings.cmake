# Warnings are errors for the project's own code (not for third-party headers, which come in as SYSTEM).
add_library(erp_warnings INTERFACE)
target_compile_options(erp_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror
  -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wconversion -Wsign-conversion -Wnull-dereference -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough)
