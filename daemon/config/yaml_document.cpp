#include "config/yaml_document.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "config/map_reader.hpp"
#include "config/source_text.hpp"

namespace erp::daemon::config::detail {

namespace {

int to_line(const YAML::Mark& mark) { return mark.line >= 0 ? mark.line + 1 : 0; }

// Notes where a document's first real node is; a lone null is what an empty document (a trailing
// `---`) produces, so it does not count as content.
class ContentFinder final : public YAML::EventHandler {
 public:
  int line() const noexcept { return line_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { note(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override { note(mark); }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(mark);
  }
  void OnMapEnd() override {}

 private:
  void note(const YAML::Mark& mark) {
    if (line_ == 0) line_ = std::max(to_line(mark), 1);
  }
  int line_ = 0;
};

// Line of a second document that has content, or 0. yaml-cpp 0.7's LoadAll can loop forever
// allocating empty documents on some malformed input (fixed upstream in yaml-cpp PR #1319), so
// the parser is driven by hand and asked for at most two documents.
int second_document_line(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  ContentFinder first;
  if (!parser.HandleNextDocument(first)) return 0;
  ContentFinder second;
  if (!parser.HandleNextDocument(second)) return 0;
  return second.line();
}

// 1-based line of the first line that is not blank, a comment or a document marker; 0 if none.
int first_content_line(std::string_view text) {
  int line = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    ++line;
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view row = text.substr(start, end - start);
    const std::size_t first = row.find_first_not_of(" \t\r");
    if (first != std::string_view::npos) {
      row.remove_prefix(first);
      const bool marker = row.starts_with("---") || row.starts_with("...") || row.starts_with('%');
      if (!row.starts_with('#') && !marker && row != "\xef\xbb\xbf") return line;
    }
    start = end + 1;
  }
  return 0;
}

}  // namespace

std::optional<YAML::Node> parse_document(std::string_view text, IssueSink& sink) {
  if (const int line = first_invalid_utf8_line(text); line != 0) {
    sink.add(line, "", "the file is not valid UTF-8 text; save it as UTF-8");
    return std::nullopt;
  }
  const std::string owned(text);
  YAML::Node root;
  try {
    root = YAML::Load(owned);
    if (const int line = second_document_line(owned); line != 0) {
      sink.add(line, "", "the file holds more than one YAML document; keep only one");
      return std::nullopt;
    }
  } catch (const YAML::ParserException& e) {
    sink.add(to_line(e.mark), "", "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
  if (root.IsNull()) {
    if (const int line = first_content_line(text); line != 0) {
      // Text yaml-cpp read as nothing: `~`, `null`, or a stray character it skipped.
      sink.add(line, "", "the top level must be a map of keys (database, plugins, api, shops, ...), got no value");
    } else {
      sink.add(0, "", "the file is empty; it needs at least database.path and plugins.dir");
    }
    return std::nullopt;
  }
  if (!root.IsMap()) {
    sink.add(
        line_of(root), "",
        "the top level must be a map of keys (database, plugins, api, shops, ...), got " + std::string(kind_of(root)));
    return std::nullopt;
  }
  return root;
}

}  // namespace erp::daemon::config::detail
