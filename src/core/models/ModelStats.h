#pragma once

// What the proxy saw of one model over the last hour: requests, errors, tokens (from `usage` in answers and in
// streamed chunks), latency. Kept per model in ModelsState; summary() is what the Models pane and the API show.

#include <QByteArray>
#include <QJsonObject>
#include <deque>
#include <optional>

namespace gpudeck {

struct TokenUsage
{
    qint64 prompt = 0;
    qint64 completion = 0;
    qint64 total = 0;
};

class ModelStats
{
public:
    static constexpr qint64 kWindowMs = 3600 * 1000;   // errors and latency: the last hour
    static constexpr qint64 kRateWindowMs = 60 * 1000; // req/s and tokens/s: the last minute

    void record(qint64 atMs, qint64 latencyMs, bool error, const TokenUsage &usage);
    // {requests, errors, requests_per_s, tokens_per_s, latency_p50_ms, latency_p95_ms, tokens, window_s}
    QJsonObject summary(qint64 nowMs) const;
    qint64 requestsInWindow(qint64 nowMs) const;

    // The last `"usage": {...}` object in an answer or a stream's tail (vLLM sends it in the last chunk when asked
    // with stream_options.include_usage), or nullopt.
    static std::optional<TokenUsage> findUsage(const QByteArray &text);

private:
    struct Sample
    {
        qint64 atMs;
        qint64 latencyMs;
        bool error;
        qint64 tokens; // completion tokens (prompt tokens for embeddings)
    };
    void trim(qint64 nowMs) const;
    mutable std::deque<Sample> m_samples;
};

} // namespace gpudeck
