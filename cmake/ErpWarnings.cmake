# Warnings are errors for the project's own code (not for third-party headers, which come in as SYSTEM).
# Not -Wnull-dereference: at -O2 GCC 12 reports it inside inlined libstdc++ and Asio code (streambuf,
# strand) that the project cannot change, so it would only breed per-file pragmas.
add_library(erp_warnings INTERFACE)
target_compile_options(erp_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror
  -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wconversion -Wsign-conversion -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough)
