#include "app/cli.hpp"

int main(int argc, char** argv) { return erp::daemon::app::run_cli(argc, argv); }
