// The JSON side of qimen_tree.hpp. Reading goes through nlohmann's SAX interface straight into the
// tree (no JSON document in between), with a depth limit; writing keeps the tree's member order.

#include <algorithm>
#include <nlohmann/json.hpp>

#include "plugins/qimen/qimen_tree.hpp"

namespace erp::plugins::qimen {
namespace {

using Json = nlohmann::json;

/// Builds the tree while nlohmann reads: an object is a node, an array is repeated children
/// named after the member that holds it (arrays inside arrays are flattened into the same list).
class TreeBuilder final : public nlohmann::json_sax<Json> {
 public:
  explicit TreeBuilder(Node& root) : root_(root) {}

  bool null() override { return scalar(std::string()); }
  bool boolean(bool val) override { return scalar(val ? "true" : "false"); }
  bool number_integer(number_integer_t val) override { return scalar(std::to_string(val)); }
  bool number_unsigned(number_unsigned_t val) override { return scalar(std::to_string(val)); }
  // The number as written ("12.30" stays "12.30", which a double would not keep).
  bool number_float(number_float_t, const string_t& text) override { return scalar(text); }
  bool string(string_t& val) override { return scalar(std::move(val)); }
  bool binary(binary_t&) override { return fail_with("binary values are not JSON text"); }

  bool start_object(std::size_t) override {
    if (frames_.empty()) {
      root_.name = "request";
      frames_.push_back(Frame{&root_, false, {}});
      return true;
    }
    if (frames_.size() >= kMaxDepth) return too_deep();
    Frame& top = frames_.back();
    Node& added = top.node->add(top.is_array ? top.name : std::move(pending_key_));
    frames_.push_back(Frame{&added, false, {}});
    return true;
  }

  bool key(string_t& val) override {
    pending_key_ = std::move(val);
    return true;
  }

  bool end_object() override {
    frames_.pop_back();
    return true;
  }

  bool start_array(std::size_t) override {
    if (frames_.empty()) return fail_with("the JSON body is an array, not an object");
    if (frames_.size() >= kMaxDepth) return too_deep();
    Frame& top = frames_.back();
    // The items become children of the object that holds the array, each named after the member.
    std::string name = top.is_array ? top.name : std::move(pending_key_);
    frames_.push_back(Frame{top.node, true, std::move(name)});
    return true;
  }

  bool end_array() override {
    frames_.pop_back();
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    // nlohmann's message names the byte and what it expected; it quotes at most the last token.
    error_ = "the JSON body is malformed at byte " + std::to_string(position) + ": " + error.what();
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  struct Frame {
    Node* node;
    bool is_array;
    std::string name;  ///< For an array: the member name its items take.
  };

  bool scalar(std::string text) {
    if (frames_.empty()) return fail_with("the JSON body is not an object");
    Frame& top = frames_.back();
    Node& added = top.node->add(top.is_array ? top.name : std::move(pending_key_));
    added.text = std::move(text);
    return true;
  }

  bool too_deep() { return fail_with("the JSON body nests deeper than " + std::to_string(kMaxDepth) + " levels"); }

  bool fail_with(std::string message) {
    error_ = std::move(message);
    return false;
  }

  Node& root_;
  std::vector<Frame> frames_;
  std::string pending_key_;
  std::string error_;
};

bool is_envelope(const Node& node) {
  return (node.name == "request" || node.name == "body" || node.name == "response") && !node.children.empty();
}

/// Takes off {"request": {..}}, {"body": {..}} or {"response": {..}}: one such member holding an
/// object, beside nothing but scalars (a status code, a sign).
void unwrap(Node& root) {
  const Node* envelope = nullptr;
  for (const auto& c : root.children) {
    if (is_envelope(c)) {
      if (envelope != nullptr) return;
      envelope = &c;
    } else if (!c.children.empty()) {
      return;
    }
  }
  if (envelope == nullptr) return;
  Node inner = *envelope;
  inner.name = "request";
  root = std::move(inner);
}

/// Keeps the members in the order they were added, as the tree has them.
using OrderedJson = nlohmann::ordered_json;

OrderedJson to_json(const Node& node) {
  if (node.children.empty() && !node.list) return OrderedJson(node.text);
  OrderedJson object = OrderedJson::object();
  std::vector<std::string> names;  // first-appearance order
  for (const auto& c : node.children) {
    if (std::find(names.begin(), names.end(), c.name) == names.end()) names.push_back(c.name);
  }
  for (const auto& name : names) {
    std::vector<const Node*> same;
    for (const auto& c : node.children) {
      if (c.name == name) same.push_back(&c);
    }
    if (same.size() == 1 && !node.list) {
      object[name] = to_json(*same.front());
    } else {
      OrderedJson items = OrderedJson::array();
      for (const Node* item : same) items.push_back(to_json(*item));
      object[name] = std::move(items);
    }
  }
  return object;
}

}  // namespace

sdk::Result<Node> read_json(std::string_view body) {
  Node root;
  TreeBuilder builder(root);
  const bool ok =
      Json::sax_parse(body.data(), body.data() + body.size(), &builder, nlohmann::detail::input_format_t::json,
                      /*strict=*/true);
  if (!ok) {
    return sdk::fail(sdk::ErrorCode::invalid_input,
                     builder.error().empty() ? std::string("the JSON body is malformed") : builder.error());
  }
  unwrap(root);
  return root;
}

std::string write_json(const Node& root) {
  // Malformed UTF-8 goes out as U+FFFD rather than making the body unwritable.
  OrderedJson out = to_json(root);
  if (!out.is_object()) out = OrderedJson::object();  // a root with nothing in it
  return out.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

}  // namespace erp::plugins::qimen
