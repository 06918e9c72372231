#pragma once
// The one shape both Qimen body formats are read into and written from: a tree of named nodes,
// each holding text (a leaf) or children. XML elements and JSON members map onto it the same way,
// so the payload builders and the inbound parsers never see which format travelled.
//
//   <request><orderLines><orderLine>..</orderLine><orderLine>..</orderLine></orderLines></request>
//   {"orderLines":{"orderLine":[{..},{..}]}}
//
// both read as request > orderLines > orderLine, orderLine. A JSON array becomes repeated children
// named after its member, and a JSON object where a list was expected reads as a one-item list.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "erp/result.hpp"

namespace erp::plugins::qimen {

enum class Format { xml, json };

struct Node {
  std::string name;
  std::string text;  ///< A leaf's value; empty for a node with children.
  std::vector<Node> children;
  /// Written by the JSON writer as {"<child name>": [..]} even with one child: set on the plural
  /// wrappers (orderLines, subSourceOrders) so a one-line order still sends an array.
  bool list = false;

  /// Adds a leaf child; nothing when `value` is empty (unknown fields are left out, not sent empty).
  void leaf(std::string child_name, std::string value);
  /// A new child with children of its own.
  Node& add(std::string child_name);

  /// The first child of that name, or nullptr.
  const Node* child(std::string_view child_name) const noexcept;
  /// The text of the first child of that name, blanks at either end removed; "" when absent.
  std::string value(std::string_view child_name) const;
};

/// The items of a list in any of the shapes senders produce: <wrapper><item/>..</wrapper>, a JSON
/// wrapper holding one object or an array under the singular name, or an array straight under the
/// wrapper ("packages":[{..}]). Every child of `parent` named `wrapper` counts.
std::vector<const Node*> list_items(const Node& parent, std::string_view wrapper, std::string_view item);

/// Deeper nesting than this is refused, so no input can exhaust the stack.
inline constexpr std::size_t kMaxDepth = 32;

/// The document element of an XML body (usually <request>). Only the five predefined entities and
/// character references are expanded; a DOCTYPE is skipped and its entities are never defined, so
/// `&name;` stays literal text. invalid_input when the body is not one well-formed element.
sdk::Result<Node> read_xml(std::string_view body);

/// A JSON body as a tree named "request". One envelope is taken off when the top-level object
/// holds the payload in a `request`, `body` or `response` member and nothing else but scalars.
/// invalid_input for malformed JSON or a top level that is not an object.
sdk::Result<Node> read_json(std::string_view body);

/// read_xml or read_json.
sdk::Result<Node> read_body(std::string_view body, Format format);

/// `<?xml version="1.0" encoding="utf-8"?>` and the node as an element, text escaped; bytes XML 1.0
/// cannot carry (most control characters, malformed UTF-8) are replaced or dropped.
std::string write_xml(const Node& root);

/// The node's children as one JSON object (the root's own name is not written), in tree order.
std::string write_json(const Node& root);

std::string write_body(const Node& root, Format format);

/// The format of a body by its first non-blank character: '<' XML, '{' or '[' JSON.
std::optional<Format> sniff_format(std::string_view body) noexcept;

}  // namespace erp::plugins::qimen
