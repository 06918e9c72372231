#pragma once
// "Did you mean" for misspelt keys and enum values: the cheapest way to turn an unknown-key error
// into a one-character fix.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace erp::daemon::config::detail {

/// Optimal string alignment distance (Levenshtein plus adjacent transposition, since swapped
/// letters are the commonest typo), ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if one is close enough to be a plausible typo.
std::optional<std::string_view> nearest(std::string_view word, std::span<const std::string_view> candidates);

/// " (did you mean 'x'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace erp::daemon::config::detail
