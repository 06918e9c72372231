// erpctl: the command-line client of erpd's local API (being written).
#include <cstdio>
int main() {
  std::fputs("erpctl: not implemented yet\n", stderr);
  return 2;
}
