#include "douyin_sign.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace erp::sim::douyin {
namespace {

constexpr int kMaxDepth = 64;

// A parsed JSON value that keeps number literals as sent (Go's UseNumber round trip) and strings
// decoded to UTF-8, so the canonical text re-escapes them one way whatever the client sent.
struct Value {
  enum class Kind { object, array, string, number, literal };
  Kind kind = Kind::literal;
  std::string text;                                       // decoded string, number lexeme or literal (true/false/null)
  std::map<std::string, std::unique_ptr<Value>> members;  // byte order = sorted keys; last duplicate wins
  std::vector<std::unique_ptr<Value>> items;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  std::unique_ptr<Value> parse_document(std::string& error) {
    try {
      skip_ws();
      if (pos_ == s_.size()) {
        auto v = std::make_unique<Value>();
        v->kind = Value::Kind::object;
        return v;
      }
      auto v = parse_value(0);
      skip_ws();
      if (pos_ != s_.size()) fail("trailing characters");
      if (v->kind != Value::Kind::object) fail("param_json must be an object");
      return v;
    } catch (const std::string& e) {
      error = e + " at offset " + std::to_string(pos_);
      return nullptr;
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) { throw what; }

  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }

  char peek() {
    if (pos_ >= s_.size()) fail("unexpected end");
    return s_[pos_];
  }

  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  std::unique_ptr<Value> parse_value(int depth) {
    if (depth > kMaxDepth) fail("nesting too deep");
    skip_ws();
    auto v = std::make_unique<Value>();
    const char c = peek();
    if (c == '{') {
      v->kind = Value::Kind::object;
      ++pos_;
      skip_ws();
      if (peek() == '}') {
        ++pos_;
        return v;
      }
      for (;;) {
        skip_ws();
        if (peek() != '"') fail("expected a key");
        std::string key = parse_string();
        skip_ws();
        expect(':');
        v->members.insert_or_assign(std::move(key), parse_value(depth + 1));
        skip_ws();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v->kind = Value::Kind::array;
      ++pos_;
      skip_ws();
      if (peek() == ']') {
        ++pos_;
        return v;
      }
      for (;;) {
        v->items.push_back(parse_value(depth + 1));
        skip_ws();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v->kind = Value::Kind::string;
      v->text = parse_string();
      return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      v->kind = Value::Kind::number;
      v->text = parse_number();
      return v;
    }
    for (const char* lit : {"true", "false", "null"}) {
      const std::string_view l(lit);
      if (s_.substr(pos_, l.size()) == l) {
        pos_ += l.size();
        v->text = std::string(l);
        return v;
      }
    }
    fail("unexpected character");
  }

  std::string parse_number() {
    const std::size_t start = pos_;
    auto digits = [&] {
      const std::size_t d = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      if (pos_ == d) fail("bad number");
    };
    if (s_[pos_] == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else {
      digits();
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      digits();
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      digits();
    }
    return std::string(s_.substr(start, pos_ - start));
  }

  unsigned hex4() {
    if (pos_ + 4 > s_.size()) fail("bad \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= static_cast<unsigned>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        v |= static_cast<unsigned>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        v |= static_cast<unsigned>(h - 'A' + 10);
      } else {
        fail("bad \\u escape");
      }
    }
    return v;
  }

  static void put_utf8(std::string& out, unsigned cp) {
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

  // Copies one raw UTF-8 sequence, refusing malformed, overlong and surrogate encodings.
  void copy_utf8(std::string& out) {
    const auto b0 = static_cast<unsigned char>(s_[pos_]);
    int len = 0;
    unsigned cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      cp = b0 & 0x07u;
    } else {
      fail("invalid UTF-8");
    }
    if (pos_ + static_cast<std::size_t>(len) > s_.size()) fail("invalid UTF-8");
    for (int i = 1; i < len; ++i) {
      const auto b = static_cast<unsigned char>(s_[pos_ + static_cast<std::size_t>(i)]);
      if ((b & 0xC0u) != 0x80u) fail("invalid UTF-8");
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
      fail("invalid UTF-8");
    out.append(s_.substr(pos_, static_cast<std::size_t>(len)));
    pos_ += static_cast<std::size_t>(len);
  }

  std::string parse_string() {
    expect('"');
    std::string out;
    for (;;) {
      const char c = peek();
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c == '\\') {
        ++pos_;
        const char e = peek();
        ++pos_;
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            unsigned cp = hex4();
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              if (s_.substr(pos_, 2) != "\\u") fail("lone surrogate");
              pos_ += 2;
              const unsigned lo = hex4();
              if (lo < 0xDC00 || lo > 0xDFFF) fail("lone surrogate");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              fail("lone surrogate");
            }
            put_utf8(out, cp);
            break;
          }
          default:
            fail("bad escape");
        }
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x80) {
        out += c;
        ++pos_;
      } else {
        copy_utf8(out);
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

// Escapes what JSON requires and nothing else: '"', '\\', control characters, plus U+2028/U+2029,
// which both Go's encoder and PHP's json_encode escape even in their "unescaped" modes.
void write_string(std::string& out, const std::string& s) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void write_value(std::string& out, const Value& v) {
  switch (v.kind) {
    case Value::Kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, m] : v.members) {
        if (!first) out += ',';
        first = false;
        write_string(out, k);
        out += ':';
        write_value(out, *m);
      }
      out += '}';
      break;
    }
    case Value::Kind::array: {
      out += '[';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i) out += ',';
        write_value(out, *v.items[i]);
      }
      out += ']';
      break;
    }
    case Value::Kind::string:
      write_string(out, v.text);
      break;
    case Value::Kind::number:
    case Value::Kind::literal:
      out += v.text;
      break;
  }
}

std::string to_hex(const unsigned char* data, unsigned len) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2u);
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 0xF];
  }
  return out;
}

}  // namespace

std::optional<std::string> canonical_param_json(std::string_view text, std::string* error) {
  std::string why;
  Parser parser(text);
  auto root = parser.parse_document(why);
  if (!root) {
    if (error) *error = why;
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size());
  write_value(out, *root);
  return out;
}

std::string sign_pattern(std::string_view app_secret, std::string_view app_key, std::string_view method,
                         std::string_view param_json, std::string_view timestamp, std::string_view v) {
  std::string p;
  p.reserve(app_secret.size() * 2 + app_key.size() + method.size() + param_json.size() + timestamp.size() + 40);
  p.append(app_secret).append("app_key").append(app_key).append("method").append(method);
  p.append("param_json").append(param_json).append("timestamp").append(timestamp).append("v").append(v);
  p.append(app_secret);
  return p;
}

std::optional<std::string> sign(std::string_view sign_method, std::string_view app_secret, std::string_view app_key,
                                std::string_view method, std::string_view param_json, std::string_view timestamp,
                                std::string_view v) {
  const std::string pattern = sign_pattern(app_secret, app_key, method, param_json, timestamp, v);
  if (sign_method == "hmac-sha256") return hmac_sha256_hex(app_secret, pattern);
  if (sign_method == "md5") return md5_hex(pattern);
  return std::nullopt;
}

std::string event_sign(std::string_view app_key, std::string_view body, std::string_view app_secret) {
  std::string s;
  s.reserve(app_key.size() + body.size() + app_secret.size());
  s.append(app_key).append(body).append(app_secret);
  return md5_hex(s);
}

std::string md5_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_md5(), nullptr) != 1) return {};
  return to_hex(md, len);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), md, &len))
    return {};
  return to_hex(md, len);
}

}  // namespace erp::sim::douyin
