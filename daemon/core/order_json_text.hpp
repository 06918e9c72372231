#pragma once
// The stored order payload written without building a JSON document first.

#include <string>

#include "erp/model.hpp"

namespace erp::daemon {

/// Byte for byte `order_to_json(order, include_ciphertext).dump()`, but several times cheaper:
/// the store writes (and compares) this text for every order every sync fetches, which made the
/// document build and dump the largest single cost of ingest (bench/README.md "TOP ingest").
/// Keys appear in the document's (sorted) order; the unit tests hold the two forms equal.
/// A string that is not valid UTF-8 makes it throw exactly as dump() does.
std::string order_to_json_text(const sdk::Order& order, bool include_ciphertext);

}  // namespace erp::daemon
