#pragma once

#include <QLoggingCategory>

// gpudeck.sync: project syncs and pulls (what was planned and how each ended; never an extra file's name).
Q_DECLARE_LOGGING_CATEGORY(lcSync)
