// The XML side of qimen_tree.hpp: reading with pugixml, writing by hand (the output is small and
// its shape fixed, and writing it ourselves keeps the declaration and escaping exactly as sent).

#include <cstdint>
#include <pugixml.hpp>

#include "plugins/qimen/qimen_tree.hpp"

namespace erp::plugins::qimen {
namespace {

bool blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string trim(std::string text) {
  std::size_t begin = 0;
  while (begin < text.size() && blank(text[begin])) ++begin;
  std::size_t end = text.size();
  while (end > begin && blank(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

/// Builds `out` from `element`; false when the document nests deeper than kMaxDepth.
bool convert(const pugi::xml_node& element, Node& out, std::size_t depth) {
  if (depth > kMaxDepth) return false;
  out.name = element.name();
  std::string text;
  bool has_elements = false;
  for (const pugi::xml_node& c : element.children()) {
    switch (c.type()) {
      case pugi::node_element: {
        has_elements = true;
        if (!convert(c, out.children.emplace_back(), depth + 1)) return false;
        break;
      }
      case pugi::node_pcdata:
      case pugi::node_cdata:
        text += c.value();
        break;
      default:  // comments, processing instructions
        break;
    }
  }
  // Text between child elements is layout, not a value.
  if (!has_elements) out.text = trim(std::move(text));
  return true;
}

void append_code_point(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// The next code point of `text` at `i` (advancing `i`), or nullopt for a malformed sequence (then
/// `i` moves past its first byte only).
std::optional<std::uint32_t> next_code_point(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1Fu;
    min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0Fu;
    min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07u;
    min = 0x10000;
  } else {
    ++i;
    return std::nullopt;
  }
  if (i + length > text.size()) {
    ++i;
    return std::nullopt;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const auto byte = static_cast<unsigned char>(text[i + k]);
    if ((byte & 0xC0) != 0x80) {
      ++i;
      return std::nullopt;
    }
    cp = (cp << 6) | (byte & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return std::nullopt;
  }
  i += length;
  return cp;
}

/// XML 1.0's Char production.
bool xml_char(std::uint32_t cp) noexcept {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         cp >= 0x10000;
}

void append_escaped(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto cp = next_code_point(text, i);
    if (!cp) {
      append_code_point(out, 0xFFFD);  // U+FFFD REPLACEMENT CHARACTER for a malformed byte
      continue;
    }
    if (!xml_char(*cp)) continue;  // not even a character reference may carry these
    switch (*cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\r':  // a raw CR would be read back as a line feed
        out += "&#13;";
        break;
      default:
        append_code_point(out, *cp);
        break;
    }
  }
}

void write_element(std::string& out, const Node& node) {
  out += '<';
  out += node.name;
  out += '>';
  if (node.children.empty()) {
    append_escaped(out, node.text);
  } else {
    for (const auto& c : node.children) write_element(out, c);
  }
  out += "</";
  out += node.name;
  out += '>';
}

}  // namespace

sdk::Result<Node> read_xml(std::string_view body) {
  pugi::xml_document document;
  // parse_default: the predefined entities and character references, CDATA, line ends; no
  // parse_doctype, so a DOCTYPE is skipped whole and no entity it declares is ever expanded.
  const pugi::xml_parse_result parsed =
      document.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return sdk::fail(sdk::ErrorCode::invalid_input, std::string("the XML body is malformed: ") + parsed.description() +
                                                        " at byte " + std::to_string(parsed.offset));
  }
  pugi::xml_node root;
  for (const pugi::xml_node& c : document.children()) {
    if (c.type() != pugi::node_element) continue;
    if (root) return sdk::fail(sdk::ErrorCode::invalid_input, "the XML body has more than one root element");
    root = c;
  }
  if (!root) return sdk::fail(sdk::ErrorCode::invalid_input, "the XML body has no root element");
  Node out;
  if (!convert(root, out, 0)) {
    return sdk::fail(sdk::ErrorCode::invalid_input,
                     "the XML body nests deeper than " + std::to_string(kMaxDepth) + " elements");
  }
  return out;
}

std::string write_xml(const Node& root) {
  std::string out = R"(<?xml version="1.0" encoding="utf-8"?>)";
  write_element(out, root);
  return out;
}

}  // namespace erp::plugins::qimen
