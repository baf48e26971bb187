#pragma once

#include <QLoggingCategory>

// gpudeck.models: models.yaml, swaps, health polling, the OpenAI-compatible proxy.
Q_DECLARE_LOGGING_CATEGORY(lcModels)
