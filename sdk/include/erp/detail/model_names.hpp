#pragma once
// Inline definitions of the enum <-> name tables declared in erp/model.hpp (header-only SDK).

#include <array>
#include <utility>

namespace erp::sdk {
namespace detail {

template <class E, std::size_t N>
constexpr std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) noexcept {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <class E, std::size_t N>
constexpr std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                                    std::string_view text) noexcept {
  for (const auto& [e, name] : table) {
    if (name == text) return e;
  }
  return std::nullopt;
}

inline constexpr std::array<std::pair<OrderStatus, std::string_view>, 6> kOrderStatusNames{{
    {OrderStatus::pending_payment, "pending_payment"},
    {OrderStatus::paid, "paid"},
    {OrderStatus::partially_shipped, "partially_shipped"},
    {OrderStatus::shipped, "shipped"},
    {OrderStatus::completed, "completed"},
    {OrderStatus::closed, "closed"},
}};
inline constexpr std::array<std::pair<RefundStatus, std::string_view>, 5> kRefundStatusNames{{
    {RefundStatus::none, "none"},
    {RefundStatus::requested, "requested"},
    {RefundStatus::in_progress, "in_progress"},
    {RefundStatus::refunded, "refunded"},
    {RefundStatus::closed, "closed"},
}};
inline constexpr std::array<std::pair<OrderKind, std::string_view>, 4> kOrderKindNames{{
    {OrderKind::normal, "normal"},
    {OrderKind::presale, "presale"},
    {OrderKind::custom_made, "custom_made"},
    {OrderKind::virtual_goods, "virtual"},
}};
inline constexpr std::array<std::pair<CrossBorderType, std::string_view>, 4> kCrossBorderNames{{
    {CrossBorderType::none, "none"},
    {CrossBorderType::bonded_import, "bonded_import"},
    {CrossBorderType::direct_mail, "direct_mail"},
    {CrossBorderType::consolidated_import, "consolidated_import"},
}};

}  // namespace detail

inline std::string_view to_string(OrderStatus v) noexcept { return detail::name_of(detail::kOrderStatusNames, v); }
inline std::string_view to_string(RefundStatus v) noexcept { return detail::name_of(detail::kRefundStatusNames, v); }
inline std::string_view to_string(OrderKind v) noexcept { return detail::name_of(detail::kOrderKindNames, v); }
inline std::string_view to_string(CrossBorderType v) noexcept { return detail::name_of(detail::kCrossBorderNames, v); }
inline std::optional<OrderStatus> order_status_from_string(std::string_view t) noexcept {
  return detail::value_of(detail::kOrderStatusNames, t);
}
inline std::optional<RefundStatus> refund_status_from_string(std::string_view t) noexcept {
  return detail::value_of(detail::kRefundStatusNames, t);
}
inline std::optional<OrderKind> order_kind_from_string(std::string_view t) noexcept {
  return detail::value_of(detail::kOrderKindNames, t);
}
inline std::optional<CrossBorderType> cross_border_from_string(std::string_view t) noexcept {
  return detail::value_of(detail::kCrossBorderNames, t);
}

}  // namespace erp::sdk
