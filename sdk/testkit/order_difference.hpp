#pragma once
// Compares two mappings of one order through erpd's own order JSON (the stored payload), so "the
// same" means what erpd would store and show: PC5 (a second listing) and PC6 (get_order) use it.

#include <string>

#include "erp/model.hpp"

namespace erp::testkit {

/// "" when both map to the same order JSON, else the first key that differs with both values
/// (receiver ciphertexts are compared but never printed).
std::string order_difference(const sdk::Order& expected, const sdk::Order& actual);

}  // namespace erp::testkit
