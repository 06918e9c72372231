#include "config/suggest.hpp"

#include <algorithm>
#include <vector>

namespace erp::daemon::config::detail {

namespace {

// Keys are short; anything longer is not a typo of one, and skipping it keeps the quadratic
// distance cheap on hostile input.
constexpr std::size_t kMaxWordForSuggestion = 64;

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A typo budget that grows with length: one edit for short words, up to three for long ones,
// so "ip" does not suggest "id" for "x" but "app_secrt" still finds "app_secret".
std::size_t allowed_edits(std::size_t length) { return std::clamp<std::size_t>((length + 2) / 4, 1, 3); }

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  // Three rolling rows: the transposition rule looks two rows back.
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1])) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::optional<std::string_view> nearest(std::string_view word, std::span<const std::string_view> candidates) {
  if (word.empty() || word.size() > kMaxWordForSuggestion) return std::nullopt;
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  for (const std::string_view candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d > allowed_edits(std::max(word.size(), candidate.size()))) continue;
    if (!best || d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  const auto best = nearest(word, candidates);
  if (!best) return {};
  return " (did you mean '" + std::string(*best) + "'?)";
}

}  // namespace erp::daemon::config::detail
