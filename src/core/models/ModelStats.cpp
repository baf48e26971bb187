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

namespace {

// The integers of the keys "prompt_tokens", "completion_tokens" and "total_tokens" directly inside the JSON object
// that `text` starts with (at its '{'; whatever follows its matching '}' is not read), in one pass without building
// a document: every proxied answer passes here. A value that is not a plain integer (a fraction, a string, null, an
// object) counts as 0; keys inside nested objects (prompt_tokens_details) are skipped. nullopt when the object has no
// key at all, or does not end within `text` (cut off, an unterminated string).
std::optional<TokenUsage> readUsage(QByteArrayView text)
{
    TokenUsage usage;
    bool anyKey = false;
    int depth = 0;
    bool value = false; // after a top-level ':' and before its ','
    qint64 *target = nullptr;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            const qsizetype start = i + 1;
            for (++i; i < text.size() && text[i] != '"'; ++i) {
                if (text[i] == '\\') {
                    ++i;
                }
            }
            if (i >= text.size()) {
                return std::nullopt;
            }
            if (depth == 1 && !value) {
                anyKey = true;
                const QByteArrayView key = text.sliced(start, i - start);
                target = key == "prompt_tokens"       ? &usage.prompt
                         : key == "completion_tokens" ? &usage.completion
                         : key == "total_tokens"      ? &usage.total
                                                      : nullptr;
            }
            continue;
        }
        switch (c) {
        case '{':
        case '[':
            ++depth;
            break;
        case '}':
        case ']':
            if (--depth == 0) { // the object's end
                return anyKey ? std::optional<TokenUsage>(usage) : std::nullopt;
            }
            break;
        case ':':
            value = depth == 1;
            break;
        case ',':
            if (depth == 1) {
                value = false;
                target = nullptr;
            }
            break;
        default:
            if (value && depth == 1 && target && (c == '-' || (c >= '0' && c <= '9'))) {
                qsizetype end = i + 1;
                while (end < text.size() && text[end] >= '0' && text[end] <= '9') {
                    ++end;
                }
                const bool integral = end >= text.size() || !(text[end] == '.' || text[end] == 'e' || text[end] == 'E');
                bool ok = false;
                const qint64 n = text.sliced(i, end - i).toLongLong(&ok);
                *target = ok && integral ? n : 0;
                target = nullptr;
                i = end - 1;
            }
            break;
        }
    }
    return std::nullopt; // cut off before the object's end
}

} // namespace

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
        if (const auto usage = readUsage(QByteArrayView(text).sliced(open))) {
            return usage;
        }
        at = at > 0 ? text.lastIndexOf("\"usage\"", at - 1) : -1;
    }
    return std::nullopt;
}

} // namespace gpudeck
