// read_manifest: finds `erp_plugin_manifest` in an ELF64 shared object by reading the file, never by
// loading it, so no constructor of a foreign, broken or mismatched library runs in the daemon.
// Every offset and size taken from the file is checked against the file's size before use: the
// file is untrusted input.

#include <elf.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "plugin_host/plugin_host.hpp"
#include "plugin_host/refusal.hpp"

namespace erp::daemon::plugin_host {
namespace {

using detail::refuse;

constexpr std::string_view kManifestSymbol = "erp_plugin_manifest";
// Symbol and string tables bigger than this are not a plugin's; refuse rather than allocate.
constexpr std::uint64_t kMaxTableBytes = 64ull * 1024 * 1024;
// magic + manifest_size + abi_version: the part every manifest layout must keep.
constexpr std::uint64_t kManifestHeaderBytes = offsetof(sdk::PluginManifest, abi_version) + sizeof(std::uint32_t);

#if defined(__x86_64__)
constexpr std::uint16_t kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr std::uint16_t kHostMachine = EM_AARCH64;
#else
constexpr std::uint16_t kHostMachine = EM_NONE;  // unknown host: the machine is not checked
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned char kHostData = ELFDATA2LSB;
#else
constexpr unsigned char kHostData = ELFDATA2MSB;
#endif

/// Bounds-checked reads from an open file.
class FileReader {
 public:
  explicit FileReader(const std::filesystem::path& file) : in_(file, std::ios::binary) {
    if (!in_) return;
    in_.seekg(0, std::ios::end);
    const auto end = in_.tellg();
    if (end < 0) return;
    size_ = static_cast<std::uint64_t>(end);
    open_ = true;
  }

  bool open() const noexcept { return open_; }
  std::uint64_t size() const noexcept { return size_; }

  /// True when [offset, offset + count) lies inside the file.
  bool contains(std::uint64_t offset, std::uint64_t count) const noexcept {
    return offset <= size_ && count <= size_ - offset;
  }

  bool read(std::uint64_t offset, void* out, std::uint64_t count) {
    if (!contains(offset, count)) return false;
    if (count == 0) return true;
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(static_cast<char*>(out), static_cast<std::streamsize>(count));
    return in_.good() || static_cast<std::uint64_t>(in_.gcount()) == count;
  }

  template <class T>
  bool read_object(std::uint64_t offset, T& out) {
    return read(offset, &out, sizeof(T));
  }

  template <class T>
  std::optional<std::vector<T>> read_array(std::uint64_t offset, std::uint64_t count) {
    if (count > kMaxTableBytes / sizeof(T)) return std::nullopt;
    std::vector<T> items(static_cast<std::size_t>(count));
    if (!read(offset, items.data(), count * sizeof(T))) return std::nullopt;
    return items;
  }

 private:
  std::ifstream in_;
  std::uint64_t size_ = 0;
  bool open_ = false;
};

std::string elf_type_name(std::uint16_t type) {
  switch (type) {
    case ET_EXEC:
      return "an executable (ET_EXEC)";
    case ET_REL:
      return "an object file (ET_REL)";
    case ET_CORE:
      return "a core dump (ET_CORE)";
    default:
      return "ELF type " + std::to_string(type);
  }
}

void terminate_text(char* text, std::size_t size) { text[size - 1] = '\0'; }

}  // namespace

sdk::Result<sdk::PluginManifest> read_manifest(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return refuse(file, "file not found", sdk::ErrorCode::not_found);
  if (!std::filesystem::is_regular_file(file, ec)) return refuse(file, "not a regular file");

  FileReader reader(file);
  if (!reader.open()) return refuse(file, std::string("cannot read: ") + std::strerror(errno));

  unsigned char ident[EI_NIDENT] = {};
  if (!reader.read(0, ident, sizeof ident) || std::memcmp(ident, ELFMAG, SELFMAG) != 0) {
    return refuse(file, "not a shared library (not an ELF file)");
  }
  if (ident[EI_CLASS] != ELFCLASS64) {
    return refuse(file, "not a shared library for this machine (not a 64-bit ELF file)");
  }
  if (ident[EI_DATA] != kHostData) {
    return refuse(file, "not a shared library for this machine (wrong byte order)");
  }

  Elf64_Ehdr header{};
  if (!reader.read_object(0, header)) return refuse(file, "not a shared library (truncated ELF header)");
  if (header.e_type != ET_DYN) {
    return refuse(file, "not a shared library (the file is " + elf_type_name(header.e_type) + ")");
  }
  if (kHostMachine != EM_NONE && header.e_machine != kHostMachine) {
    return refuse(file, "not a shared library for this machine (ELF machine " + std::to_string(header.e_machine) +
                            ", expected " + std::to_string(kHostMachine) + ")");
  }
  if (header.e_shoff == 0 || header.e_shentsize != sizeof(Elf64_Shdr)) {
    return refuse(file, "not a shared library (no usable section headers)");
  }

  // More than 0xff00 sections: the real count lives in section 0 (ELF gABI "extended numbering").
  std::uint64_t section_count = header.e_shnum;
  if (section_count == 0) {
    Elf64_Shdr first{};
    if (!reader.read_object(header.e_shoff, first)) {
      return refuse(file, "not a shared library (truncated ELF: section headers past the end of the file)");
    }
    section_count = first.sh_size;
  }
  auto sections = reader.read_array<Elf64_Shdr>(header.e_shoff, section_count);
  if (!sections) {
    return refuse(file, "not a shared library (truncated ELF: section headers past the end of the file)");
  }

  const Elf64_Shdr* dynsym = nullptr;
  for (const auto& section : *sections) {
    if (section.sh_type == SHT_DYNSYM) {
      dynsym = &section;
      break;
    }
  }
  const std::string no_symbol = "no erp_plugin_manifest symbol (not an erpd plugin, or built without ERP_PLUGIN)";
  if (dynsym == nullptr) return refuse(file, no_symbol);
  if (dynsym->sh_entsize != sizeof(Elf64_Sym) || dynsym->sh_link >= sections->size()) {
    return refuse(file, "not a shared library (malformed dynamic symbol table)");
  }
  const Elf64_Shdr& strtab_section = (*sections)[dynsym->sh_link];
  auto symbols = reader.read_array<Elf64_Sym>(dynsym->sh_offset, dynsym->sh_size / sizeof(Elf64_Sym));
  auto strtab = reader.read_array<char>(strtab_section.sh_offset, strtab_section.sh_size);
  if (!symbols || !strtab) {
    return refuse(file, "not a shared library (truncated ELF: symbol table past the end of the file)");
  }

  const Elf64_Sym* symbol = nullptr;
  for (const auto& candidate : *symbols) {
    if (candidate.st_name >= strtab->size()) continue;
    const char* name = strtab->data() + candidate.st_name;
    const std::string_view text(name, strnlen(name, strtab->size() - candidate.st_name));
    if (text == kManifestSymbol && candidate.st_shndx != SHN_UNDEF) {
      symbol = &candidate;
      break;
    }
  }
  if (symbol == nullptr) return refuse(file, no_symbol);
  if (ELF64_ST_TYPE(symbol->st_info) != STT_OBJECT) {
    return refuse(file, "erp_plugin_manifest is not a data object");
  }
  if (symbol->st_size < kManifestHeaderBytes) {
    return refuse(file, "manifest too small: " + std::to_string(symbol->st_size) + " bytes, expected " +
                            std::to_string(sizeof(sdk::PluginManifest)));
  }
  if (symbol->st_shndx >= SHN_LORESERVE || symbol->st_shndx >= sections->size()) {
    return refuse(file, "erp_plugin_manifest lies in an unsupported section");
  }
  const Elf64_Shdr& holder = (*sections)[symbol->st_shndx];
  if (holder.sh_type == SHT_NOBITS) {
    return refuse(file, "erp_plugin_manifest is not initialized in the file (it lies in .bss)");
  }
  if (symbol->st_value < holder.sh_addr || symbol->st_value - holder.sh_addr > holder.sh_size ||
      symbol->st_size > holder.sh_size - (symbol->st_value - holder.sh_addr)) {
    return refuse(file, "not a shared library (malformed ELF: manifest outside its section)");
  }

  sdk::PluginManifest manifest{};
  const std::uint64_t offset = holder.sh_offset + (symbol->st_value - holder.sh_addr);
  const std::uint64_t count = std::min<std::uint64_t>(symbol->st_size, sizeof manifest);
  if (!reader.read(offset, &manifest, count)) {
    return refuse(file, "not a shared library (truncated ELF: manifest past the end of the file)");
  }

  if (std::memcmp(manifest.magic, "ERPPLUG", 8) != 0) {
    return refuse(file, "manifest has a bad magic (expected \"ERPPLUG\")");
  }
  if (manifest.manifest_size > symbol->st_size) {
    return refuse(file, "manifest is inconsistent: it claims " + std::to_string(manifest.manifest_size) +
                            " bytes, the symbol has " + std::to_string(symbol->st_size));
  }
  if (manifest.manifest_size < sizeof manifest) {
    // Another SDK's layout: its ABI version (always at the same place) says more than its size.
    if (manifest.abi_version != sdk::kAbiVersion) {
      return refuse(file, "ABI version mismatch: expected " + std::to_string(sdk::kAbiVersion) + ", found " +
                              std::to_string(manifest.abi_version));
    }
    return refuse(file, "manifest too small: " + std::to_string(manifest.manifest_size) + " bytes, expected " +
                            std::to_string(sizeof manifest));
  }

  terminate_text(manifest.name, sizeof manifest.name);
  terminate_text(manifest.version, sizeof manifest.version);
  terminate_text(manifest.compiler, sizeof manifest.compiler);
  terminate_text(manifest.stdlib, sizeof manifest.stdlib);
  return manifest;
}

}  // namespace erp::daemon::plugin_host
