// Opening the database file safely, migrating it, and the transaction object.

#include "store/store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <stdexcept>

#include "store/migrations.hpp"
#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

namespace fs = std::filesystem;
using sdk::ErrorCode;

constexpr int kBusyTimeoutMs = 5000;
constexpr const char* kBegin = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kRollback = "ROLLBACK";

// Every SQLite 3 file starts with these 16 bytes (https://sqlite.org/fileformat.html).
constexpr std::array<char, 16> kSqliteMagic{'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f',
                                            'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};

struct FileFacts {
  int user_version = 0;
  std::int64_t application_id = 0;
  std::int64_t objects = 0;  ///< Tables, indexes ... in sqlite_schema.
};

// Reads what decides whether we may touch the file, through a read-only connection so that a
// file we refuse is never written to (not even a journal-mode change or a checkpoint).
FileFacts inspect_existing(const fs::path& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY, kBusyTimeoutMs);
  FileFacts facts;
  facts.user_version = db.execAndGet("PRAGMA user_version").getInt();
  facts.application_id = db.execAndGet("PRAGMA application_id").getInt64();
  facts.objects = db.execAndGet("SELECT COUNT(*) FROM sqlite_master").getInt64();
  return facts;
}

// Why an existing, non-empty file must not be opened; empty when it may.
std::string refusal(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return "cannot be opened for reading (permissions?)";
  std::array<char, 16> head{};
  if (!in.read(head.data(), static_cast<std::streamsize>(head.size())) || head != kSqliteMagic) {
    return "not an SQLite database";
  }
  FileFacts facts;
  try {
    facts = inspect_existing(path);
  } catch (const SQLite::Exception& e) {
    return std::string("cannot be read as an SQLite database: ") + e.what();
  }
  const int latest = Store::latest_schema_version();
  if (facts.application_id != 0 && facts.application_id != kApplicationId) {
    return "not an erpd database: it belongs to another program (application_id " +
           std::to_string(facts.application_id) + ")";
  }
  if (facts.user_version > latest) {
    return "schema version " + std::to_string(facts.user_version) + " is newer than this erpd knows (" +
           std::to_string(latest) + "); run the erpd that wrote it, or a newer one";
  }
  if (facts.application_id == 0 && (facts.user_version != 0 || facts.objects != 0)) {
    return "not an erpd database: it has tables but no erpd schema mark";
  }
  return {};
}

}  // namespace

// --- Tx -------------------------------------------------------------------------------------

Tx::Tx(Store& store, bool join) : store_(store), lock_(store.mutex_) {
  if (join && sqlite3_get_autocommit(store_.db_->getHandle()) == 0) {
    // The mutex is recursive and we now hold it, so the open transaction is this thread's own.
    joined_ = true;
    return;
  }
  Use begin(store_.statement(kBegin));
  begin->exec();
}

Tx::~Tx() {
  if (done_ || joined_) return;
  store_.uncommitted_inserts_ = 0;
  store_.last_row_ = 0;
  try {
    Use rollback(store_.statement(kRollback));
    // Failing here means SQLite already rolled back (some errors end the transaction themselves).
    (void)rollback->tryExecuteStep();
  } catch (...) {
    // Only preparing the statement can throw (out of memory); a destructor must not.
  }
}

void Tx::commit() {
  if (done_) throw std::logic_error("store: transaction committed twice");
  if (!joined_) {
    Use commit(store_.statement(kCommit));
    commit->exec();
    store_.stored_orders_ += store_.uncommitted_inserts_;
    store_.uncommitted_inserts_ = 0;
  }
  // The mutex stays held until the Tx is destroyed: statements borrowed in the caller's scope
  // are still reset after this point.
  done_ = true;
}

SQLite::Database& Tx::db() noexcept { return *store_.db_; }

// --- Store ----------------------------------------------------------------------------------

Store::Store(std::unique_ptr<SQLite::Database> db)
    : db_(std::move(db)), statements_(std::make_unique<Statements>(*db_)) {
  stored_orders_ = db_->execAndGet("SELECT COUNT(*) FROM orders").getInt64();
}

Store::~Store() = default;

int Store::latest_schema_version() noexcept { return migrations().back().version; }

sdk::Result<std::unique_ptr<Store>> Store::open(const fs::path& path, OpenOptions options) {
  const std::string name = path.string();
  auto refuse = [&](const std::string& why) {
    return sdk::fail(ErrorCode::config_error, "database " + name + ": " + why);
  };

  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (fs::exists(status)) {
    if (!fs::is_regular_file(status)) return refuse("not a regular file");
    const auto size = fs::file_size(path, ec);
    if (ec) return refuse("cannot be read: " + ec.message());
    if (size > 0) {
      if (auto why = refusal(path); !why.empty()) return refuse(why);
    }
  }

  try {
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
    // WAL: readers never block the writer and a commit is one sequential append; with WAL,
    // synchronous=NORMAL loses at most the last commits on power loss, never consistency.
    const std::string mode = db->execAndGet("PRAGMA journal_mode = WAL").getString();
    if (mode != "wal") return refuse("cannot switch to WAL journal mode (got '" + mode + "')");
    db->exec("PRAGMA synchronous = NORMAL");
    db->exec("PRAGMA foreign_keys = ON");

    const int current = db->execAndGet("PRAGMA user_version").getInt();
    if (current > latest_schema_version()) {
      // Another erpd upgraded the file between our check and now.
      return refuse("schema version " + std::to_string(current) + " is newer than this erpd knows");
    }
    const int target =
        std::clamp(options.max_schema_version.value_or(latest_schema_version()), 0, latest_schema_version());
    apply_migrations(*db, current, target);
    return std::unique_ptr<Store>(new Store(std::move(db)));
  } catch (const SQLite::Exception& e) {
    return sdk::fail(ErrorCode::internal, "database " + name + ": " + e.what());
  }
}

int Store::schema_version() {
  std::lock_guard lock(mutex_);
  return db_->execAndGet("PRAGMA user_version").getInt();
}

std::unique_ptr<Tx> Store::begin() { return std::unique_ptr<Tx>(new Tx(*this, false)); }

SQLite::Statement& Store::statement(const char* sql) { return statements_->get(sql); }

void Store::require_open(const Tx& tx) const {
  if (&tx.store_ != this) throw std::logic_error("store: transaction belongs to another store");
  if (tx.done_) throw std::logic_error("store: transaction already committed");
}

}  // namespace erp::daemon::store
