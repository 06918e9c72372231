// A plain shared library built the plugin way but exporting nothing: not an erpd plugin.

namespace {
int unused_helper(int x) { return x * 2; }
}  // namespace

int erp_test_internal_only(int x);
int erp_test_internal_only(int x) { return unused_helper(x); }
