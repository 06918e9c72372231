// The body tree and its two codecs: the same payload read from XML and from the JSON shapes
// senders produce gives the same tree; writing escapes and keeps order; hostile input is refused.

#include "plugins/qimen/qimen_tree.hpp"

#include <doctest/doctest.h>

using namespace erp::plugins::qimen;

namespace {

/// The tree as text, for comparing trees read from different formats: name(text)[children].
std::string shape(const Node& node) {
  std::string out = node.name;
  if (!node.text.empty()) out += "(" + node.text + ")";
  if (!node.children.empty()) {
    out += "[";
    for (std::size_t i = 0; i < node.children.size(); ++i) out += (i ? "," : "") + shape(node.children[i]);
    out += "]";
  }
  return out;
}

std::vector<std::string> waybills_of(const Node& root) {
  std::vector<std::string> out;
  for (const Node* p : list_items(root, "packages", "package")) out.push_back(p->value("expressCode"));
  return out;
}

}  // namespace

TEST_CASE("qimen_tree: XML and JSON of one payload read to the same tree") {
  const auto xml = read_xml(R"(<?xml version="1.0" encoding="utf-8"?>
<request>
  <deliveryOrder><deliveryOrderCode> 5010 </deliveryOrderCode><remark><![CDATA[a<b]]></remark></deliveryOrder>
  <packages><package><expressCode>SF1</expressCode></package><package><expressCode>SF2</expressCode></package></packages>
</request>)");
  REQUIRE(xml.ok());
  const auto json = read_json(R"({"deliveryOrder":{"deliveryOrderCode":" 5010 ","remark":"a<b"},
      "packages":{"package":[{"expressCode":"SF1"},{"expressCode":"SF2"}]}})");
  REQUIRE(json.ok());
  CHECK(shape(*xml) ==
        "request[deliveryOrder[deliveryOrderCode(5010),remark(a<b)],"
        "packages[package[expressCode(SF1)],package[expressCode(SF2)]]]");
  CHECK(xml->child("deliveryOrder")->value("deliveryOrderCode") == "5010");
  CHECK(json->child("deliveryOrder")->value("deliveryOrderCode") == "5010");  // value() trims
  CHECK(waybills_of(*xml) == std::vector<std::string>{"SF1", "SF2"});
  CHECK(waybills_of(*json) == std::vector<std::string>{"SF1", "SF2"});
}

TEST_CASE("qimen_tree: a list node may be an object, an array of items, or an array of wrappers") {
  for (const char* body :
       {R"({"packages":{"package":{"expressCode":"SF1"}}})", R"({"packages":{"package":[{"expressCode":"SF1"}]}})",
        R"({"packages":[{"expressCode":"SF1"}]})", R"({"packages":{"expressCode":"SF1"}})",
        R"({"packages":[{"package":{"expressCode":"SF1"}}]})"}) {
    CAPTURE(body);
    const auto tree = read_json(body);
    REQUIRE(tree.ok());
    CHECK(waybills_of(*tree) == std::vector<std::string>{"SF1"});
  }
  const auto two = read_json(R"({"packages":[{"package":{"expressCode":"SF1"}},{"package":[{"expressCode":"SF2"}]}]})");
  REQUIRE(two.ok());
  CHECK(waybills_of(*two) == std::vector<std::string>{"SF1", "SF2"});
}

TEST_CASE("qimen_tree: JSON envelopes request, body and response are taken off; numbers keep their text") {
  for (const char* body :
       {R"({"request":{"order":{"orderCode":"5010"}}})", R"({"body":{"order":{"orderCode":"5010"}}})",
        R"({"response":{"order":{"orderCode":"5010"}},"code":0})", R"({"order":{"orderCode":"5010"}})"}) {
    CAPTURE(body);
    const auto tree = read_json(body);
    REQUIRE(tree.ok());
    CHECK(shape(*tree) == "request[order[orderCode(5010)]]");
  }
  const auto numbers = read_json(R"({"a":12.30,"b":-3,"c":true,"d":null,"e":18446744073709551615})");
  REQUIRE(numbers.ok());
  CHECK(shape(*numbers) == "request[a(12.30),b(-3),c(true),d,e(18446744073709551615)]");
}

TEST_CASE("qimen_tree: malformed, truncated, non-object and too deep bodies are invalid_input") {
  using erp::sdk::ErrorCode;
  const auto check_refused = [](const erp::sdk::Result<Node>& r, const char* says) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::invalid_input);
    CHECK_MESSAGE(r.error().message.find(says) != std::string::npos, r.error().message);
  };
  check_refused(read_xml("<request><deliveryOrder><deliveryOrderCode>5010</deliveryOrderCode>"), "malformed");
  check_refused(read_xml("<request><a></b></request>"), "malformed");
  check_refused(read_xml(""), "No document element");
  check_refused(read_xml("<!-- only a comment -->"), "No document element");
  check_refused(read_xml("<a/><b/>"), "more than one root");
  check_refused(read_json(R"({"deliveryOrder":{"deliveryOrderCode":"50)"), "malformed");
  check_refused(read_json(R"([{"a":1}])"), "array");
  check_refused(read_json(R"("text")"), "not an object");
  check_refused(read_json(R"({"a":1} {"b":2})"), "malformed");
  check_refused(read_json(""), "malformed");
  std::string deep_xml;
  std::string deep_json;
  for (int i = 0; i < 40; ++i) {
    deep_xml += "<a>";
    deep_json += R"({"a":)";
  }
  deep_json += "1";
  for (int i = 0; i < 40; ++i) {
    deep_xml += "</a>";
    deep_json += "}";
  }
  check_refused(read_xml(deep_xml), "deeper");
  check_refused(read_json(deep_json), "deeper");
  // Arrays in arrays count too.
  check_refused(read_json(R"({"a":)" + std::string(40, '[') + std::string(40, ']') + "}"), "deeper");
}

TEST_CASE("qimen_tree: a DOCTYPE's entities are never expanded; only the predefined ones and char refs are") {
  // pugixml without parse_doctype skips the DOCTYPE and defines nothing from it.
  const auto tree = read_xml(
      R"(<?xml version="1.0"?><!DOCTYPE request [<!ENTITY boom "BOOM"><!ENTITY ext SYSTEM "file:///etc/passwd">]>)"
      R"(<request><a>&boom;</a><b>&ext;</b><c>&lt;&amp;&gt;&quot;&apos;&#20013;&#x6587;</c></request>)");
  REQUIRE(tree.ok());
  CHECK(tree->value("a") == "&boom;");
  CHECK(tree->value("b") == "&ext;");
  CHECK(tree->value("c") == "<&>\"'中文");
}

TEST_CASE("qimen_tree: the XML writer escapes text, drops what XML cannot carry and declares utf-8") {
  Node root;
  root.name = "request";
  root.leaf("title", "a<b & c>d \"q\" 中\r\n");
  root.leaf("control", std::string("x\x01y\x1Fz\tw"));
  root.leaf("broken", std::string("ok\xFF\xC3"));
  root.leaf("empty", "");
  Node& lines = root.add("orderLines");
  lines.add("orderLine").leaf("orderLineNo", "1");
  CHECK(write_xml(root) ==
        R"(<?xml version="1.0" encoding="utf-8"?><request><title>a&lt;b &amp; c&gt;d "q" 中&#13;)"
        "\n"
        R"(</title><control>xyz)"
        "\t"
        R"(w</control><broken>ok)"
        "\xEF\xBF\xBD\xEF\xBF\xBD"
        R"(</broken><orderLines><orderLine><orderLineNo>1</orderLineNo></orderLine></orderLines></request>)");
  // Read back, the text is what was written (the dropped control characters aside).
  const auto back = read_xml(write_xml(root));
  REQUIRE(back.ok());
  CHECK(back->child("title")->text == "a<b & c>d \"q\" 中");  // the reader trims the ends
}

TEST_CASE("qimen_tree: the JSON writer keeps tree order, writes list nodes as arrays, and has no root") {
  Node root;
  root.name = "request";
  Node& order = root.add("deliveryOrder");
  order.leaf("z", "1");
  order.leaf("a", "中\"\n");
  Node& lines = root.add("orderLines");
  lines.list = true;
  lines.add("orderLine").leaf("orderLineNo", "1");
  Node& props = lines.children.back().add("extendProps");
  props.leaf("isGift", "1");
  Node& empty = root.add("subSourceOrders");
  empty.list = true;
  CHECK(write_json(root) == R"({"deliveryOrder":{"z":"1","a":"中\"\n"},)"
                            R"("orderLines":{"orderLine":[{"orderLineNo":"1","extendProps":{"isGift":"1"}}]},)"
                            R"("subSourceOrders":{}})");
  root.leaf("broken", std::string("\xFF"));
  CHECK(write_json(root).find(R"("broken":"\ufffd")") == std::string::npos);  // nlohmann writes U+FFFD raw
  CHECK(write_json(root).find("\"broken\":\"\xEF\xBF\xBD\"") != std::string::npos);
}

TEST_CASE("qimen_tree: the format of a body is told by its first non-blank character") {
  CHECK(sniff_format("  <request/>") == Format::xml);
  CHECK(sniff_format("\xEF\xBB\xBF<request/>") == Format::xml);
  CHECK(sniff_format("\n{\"a\":1}") == Format::json);
  CHECK(sniff_format("[1]") == Format::json);
  CHECK_FALSE(sniff_format("method=x"));
  CHECK_FALSE(sniff_format("   "));
}
