#include "models/ModelStats.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <algorithm>
#include <cmath>

namespace gpudeck {

void ModelStats::record(qint64 atMs, qint64 latencyMs, bool error, const TokenUsage &usage)
{
    trim(atMs);
    m_samples.push_back({atMs, latencyMs, error, usage.completion > 0 ? usage.completion : usage.total});
    while (m_samples.size() > 200000) { // a bound on memory whatever the rate
        m_samples.pop_front();
    }
}

void ModelStats::trim(qint64 nowMs) const
{
    while (!m_samples.empty() && m_samples.front().atMs < nowMs - kWindowMs) {
        m_samples.pop_front();
    }
}

qint64 ModelStats::requestsInWindow(qint64 nowMs) const
{
    trim(nowMs);
    return qint64(m_samples.size());
}

QJsonObject ModelStats::summary(qint64 nowMs) const
{
    trim(nowMs);
    qint64 errors = 0;
    qint64 tokens = 0;
    qint64 recent = 0;
    qint64 recentTokens = 0;
    QList<qint64> latencies;
    latencies.reserve(qsizetype(m_samples.size()));
    for (const Sample &s : m_samples) {
        errors += s.error ? 1 : 0;
        tokens += s.tokens;
        latencies << s.latencyMs;
        if (s.atMs >= nowMs - kRateWindowMs) {
            ++recent;
            recentTokens += s.tokens;
        }
    }
    std::sort(latencies.begin(), latencies.end());
    auto percentile = [&latencies](double p) -> QJsonValue {
        if (latencies.isEmpty()) {
            return QJsonValue();
        }
        const auto index = qsizetype(std::ceil(p * double(latencies.size()))) - 1;
        return double(latencies.at(std::clamp<qsizetype>(index, 0, latencies.size() - 1)));
    };
    const double rateWindowS = double(kRateWindowMs) / 1000.0;
    return {{QStringLiteral("window_s"), kWindowMs / 1000},
            {QStringLiteral("requests"), double(m_samples.size())},
            {QStringLiteral("errors"), double(errors)},
            {QStringLiteral("tokens"), double(tokens)},
            {QStringLiteral("requests_per_s"), std::round(double(recent) / rateWindowS * 100) / 100},
            {QStringLiteral("tokens_per_s"), std::round(double(recentTokens) / rateWindowS * 10) / 10},
            {QStringLiteral("latency_p50_ms"), percentile(0.5)},
            {QStringLiteral("latency_p95_ms"), percentile(0.95)}};
}

std::optional<TokenUsage> ModelStats::findUsage(const QByteArray &text)
{
    qsizetype at = text.lastIndexOf("\"usage\"");
    while (at >= 0) {
        // `"usage": {` (a `"usage": null` of a chunk before the last is skipped)
        qsizetype open = at + 7;
        while (open < text.size() && (text.at(open) == ' ' || text.at(open) == ':')) {
            ++open;
        }
        if (open >= text.size() || text.at(open) != '{') {
            at = at > 0 ? text.lastIndexOf("\"usage\"", at - 1) : -1;
            continue;
        }
        int depth = 0;
        qsizetype close = -1;
        for (qsizetype i = open; i < text.size(); ++i) {
            if (text.at(i) == '{') {
                ++depth;
            } else if (text.at(i) == '}' && --depth == 0) {
                close = i;
                break;
            }
        }
        if (close > open) {
            const QJsonObject u = QJsonDocument::fromJson(text.mid(open, close - open + 1)).object();
            if (!u.isEmpty()) {
                TokenUsage usage;
                usage.prompt = u.value(QStringLiteral("prompt_tokens")).toInteger();
                usage.completion = u.value(QStringLiteral("completion_tokens")).toInteger();
                usage.total = u.value(QStringLiteral("total_tokens")).toInteger();
                return usage;
            }
        }
        at = at > 0 ? text.lastIndexOf("\"usage\"", at - 1) : -1;
    }
    return std::nullopt;
}

} // namespace gpudeck
