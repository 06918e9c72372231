#pragma once
// Runs an adapter method's body so that nothing escapes into the host (CONVENTIONS 4): a throw
// is a bug, reported as an internal error naming the method.

#include <exception>
#include <string>

#include "erp/result.hpp"

namespace erp::plugins {

template <class T, class F>
sdk::Result<T> guarded(const char* what, F&& body) {
  try {
    return body();
  } catch (const std::exception& error) {
    return sdk::fail(sdk::ErrorCode::internal, std::string(what) + " failed: " + error.what());
  } catch (...) {
    return sdk::fail(sdk::ErrorCode::internal, std::string(what) + " failed with an unknown exception");
  }
}

}  // namespace erp::plugins
