#include "memo/memo_handler.hpp"

#include <spdlog/spdlog.h>

#include "core/time_format.hpp"
#include "workflows/intercept/memo_text.hpp"

namespace erp::daemon::memo {
namespace {

using sdk::ErrorCode;
using sdk::fail;
namespace intercept = workflows::intercept;

/// A renewed session or fixed config lets the same call succeed: the memo stays owed.
sdk::Error kept_owed(sdk::Error error) {
  if (error.code == ErrorCode::needs_reauth || error.code == ErrorCode::config_error) error.retryable = true;
  return error;
}

}  // namespace

MemoHandler::MemoHandler(store::Store& store, intercept::InterceptService& intercepts, shipping::AdapterLookup adapters)
    : store_(store), intercepts_(intercepts), adapters_(std::move(adapters)) {}

sdk::Result<void> MemoHandler::execute(const store::OutboxItem& item) noexcept {
  try {
    return write(item);
  } catch (const std::exception& e) {
    return fail(ErrorCode::transient, std::string("memo write failed: ") + e.what());
  }
}

sdk::Result<void> MemoHandler::write(const store::OutboxItem& item) {
  if (!item.key) return fail(ErrorCode::invalid_input, "memo item has no order");
  const auto intercept = store_.get_intercept(item.payload.value("intercept_id", std::int64_t{0}));
  if (!intercept) return fail(ErrorCode::invalid_input, "memo item names no stored intercept");
  const auto order = store_.get_order(*item.key);
  if (!order) return fail(ErrorCode::not_found, "order " + item.key->to_string() + " is not stored");
  const auto settings = intercepts_.settings()(item.target);
  const bool clearing = item.payload.value("purpose", "") == "clear";
  if (!clearing && !store::is_open(intercept->state)) {
    record_skipped(*intercept);
    return {};
  }
  if (clearing && !intercept->memo_written_at && !intercept::has_intercept_text(order->order.memo, intercept->memo_text)) {
    return {};  // the text never reached the platform: nothing to take off
  }
  auto adapter = adapters_(item.target);
  if (!adapter) return fail(ErrorCode::transient, "shop " + item.target + " is not running; the memo waits for it");

  // The memo as the platform has it now, not as the last sync stored it: an earlier attempt may
  // have written it and lost the answer (a timeout, a cut body, erpd killed before the outbox
  // recorded it). Writing on that would be a second write; it also keeps the merchant's latest edit.
  const auto platform_order = adapter->get_order(item.key->order_id);
  if (!platform_order) {
    return kept_owed(platform_order.error());
  }
  const std::string& current = platform_order->memo;
  const bool on_platform = intercept::has_intercept_text(current, intercept->memo_text);

  sdk::MemoUpdate update;
  update.order_id = item.key->order_id;
  if (clearing) {
    if (!on_platform) {
      intercepts_.memo_cleared(intercept->id, now_utc());
      return {};
    }
    update.memo = intercept::without_intercept_text(current, intercept->memo_text);
    update.flag = 0;
  } else {
    if (on_platform) {
      intercepts_.memo_written(intercept->id, now_utc());
      return {};
    }
    update.memo = intercept::with_intercept_text(current, intercept->memo_text, settings ? settings->memo_max_chars : 0);
    update.flag = settings ? settings->flag : 1;
  }
  if (auto written = adapter->write_memo(update); !written) return kept_owed(written.error());
  if (clearing) {
    intercepts_.memo_cleared(intercept->id, now_utc());
  } else {
    intercepts_.memo_written(intercept->id, now_utc());
  }
  return {};
}

void MemoHandler::record_skipped(const store::Intercept& intercept) {
  try {
    store::NewEvent event;
    event.kind = "intercept.memo_skipped";
    event.actor = "daemon";
    event.rule_id = "I3";
    event.reason = "the intercept ended before its memo was written; none was written";
    event.detail = {{"intercept_id", intercept.id}};
    auto tx = store_.begin();
    store_.append_event(*tx, intercept.key, event, now_utc());
    tx->commit();
  } catch (const std::exception& e) {
    // Nothing was written, as it should be; only the note in the history is missing.
    spdlog::warn("intercept {}: memo skipped, but recording it failed: {}", intercept.id, e.what());
  }
}

}  // namespace erp::daemon::memo
