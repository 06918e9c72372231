#pragma once
// The seller memo as the intercept workflow edits it (rules I3, I6): the configured text goes in
// front of whatever the merchant wrote, and comes out again without touching the rest.

#include <string>
#include <string_view>

namespace erp::daemon::workflows::intercept {

/// Whether the memo carries the intercept text.
bool has_intercept_text(std::string_view memo, std::string_view text) noexcept;

/// `text` followed by the existing memo (separated by a space), cut to `max_chars` UTF-8
/// characters when the platform has a limit (0: none). The intercept text comes first so a cut
/// never loses it. A memo that already carries the text is returned as it is.
std::string with_intercept_text(std::string_view memo, std::string_view text, int max_chars);

/// The memo without the intercept text (and the space that joined it); the merchant's own words
/// stay as they were.
std::string without_intercept_text(std::string_view memo, std::string_view text);

}  // namespace erp::daemon::workflows::intercept
