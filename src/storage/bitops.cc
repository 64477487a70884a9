// SPDX-License-Identifier: Apache-2.0
#include "storage/bitops.h"
