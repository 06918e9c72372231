#pragma once
// Everything a plugin author needs, in one include.

#include "erp/adapter.hpp"
#include "erp/dropship.hpp"
#include "erp/host.hpp"
#include "erp/memory_state.hpp"
#include "erp/model.hpp"
#include "erp/money.hpp"
#include "erp/plugin.hpp"
#include "erp/privacy.hpp"
#include "erp/result.hpp"
#include "erp/version.hpp"
#include "erp/warehouse.hpp"
