#pragma once
// Qimen bodies in both wire formats (WAREHOUSE-QIMEN.md §2), read into and written from one tree
// (nlohmann::ordered_json), so the WMS's logic never cares which format a partner speaks:
// - XML: the payload under a <request> root (answers under <response>), lists as a plural wrapper
//   around repeated singular elements (<orderLines><orderLine/>...</orderLines>), every value text.
// - JSON: the same tree without a root (answers under "response"); a list may arrive as an array
//   or, when it has one element, as a bare object, so readers accept both.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace erp::sim::qimen {

using Tree = nlohmann::ordered_json;

enum class Format { xml, json };

/// `format` query parameter: "xml" (also when absent) or "json"; anything else is nullopt.
std::optional<Format> format_from_string(std::string_view text);
std::string format_name(Format format);
/// The Content-Type a body of this format is sent with (the Qimen SDK's constants).
std::string content_type(Format format);

/// A body read into a tree, or why it could not be.
struct ParsedBody {
  std::optional<Tree> tree;  ///< An object: the root's content.
  std::string error;
};
/// XML must have the root element `root`; JSON must be an object. Nesting is limited (64 levels)
/// so a hostile body cannot exhaust the stack.
ParsedBody parse_body(Format format, std::string_view body, std::string_view root = "request");

/// How JSON lists and values are written. `typed`: lists are always arrays, counts are numbers.
/// `mechanical`: what an XML-to-JSON converter makes of the XML form, as vendors send it: a
/// one-element list is a bare object and every value is a string.
enum class JsonStyle { typed, mechanical };

/// The tree as a body: XML under `root` with an XML declaration, or JSON (without a root).
std::string write_body(Format format, const Tree& tree, std::string_view root = "request",
                       JsonStyle style = JsonStyle::typed);

/// A Qimen answer: <response><flag/><code/><message/>...</response> or {"response": {...}}.
/// `fields` holds flag, code, message and any method-specific fields.
std::string write_response(Format format, const Tree& fields);

/// What a partner answered to one of our calls.
struct Answer {
  std::string flag;
  std::string code;
  std::string message;
};
/// Reads an answer whatever its format (by its first character), tolerating a JSON answer
/// without the "response" wrapper. nullopt when it is not a Qimen answer at all.
std::optional<Answer> parse_answer(std::string_view body);

// --- reading a tree ---------------------------------------------------------------------------

/// The child `key` of an object node, or nullptr.
const Tree* child(const Tree& node, std::string_view key);
/// A scalar as text: strings as they are, numbers and booleans written out; "" for a missing,
/// null or non-scalar node.
std::string text(const Tree* node);
std::string text(const Tree& node, std::string_view key);
/// The items of a list node: `node[wrapper][item]`, which may be an array or a single object.
std::vector<const Tree*> list(const Tree& node, std::string_view wrapper, std::string_view item);

}  // namespace erp::sim::qimen
