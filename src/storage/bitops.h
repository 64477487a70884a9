// SPDX-License-Identifier: Apache-2.0
// TODO(ringtail): (#4).
#pragma once
