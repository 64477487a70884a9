// SPDX-License-Identifier: Apache-2.0
#include "commands/command_test.h"
