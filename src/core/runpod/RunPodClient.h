#pragma once

#include "Result.h"
#include "runpod/RunPodTypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonDocument>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace gpudeck {

// RunPod's REST API v2 (https://api.runpod.io/v2/..., `Authorization: Bearer <key>`), on QNetworkAccessManager.
// Lives on the RunPod worker thread.
//
// Rate limits: every answer's `RateLimit` header ("minute";r=0;t=12, ...) is read; a window with nothing left holds
// every request until it resets. A 429 holds them for its `Retry-After` and the request is sent again (at most
// kMaxRetries times, and only when the wait is at most kMaxRetryWaitS; else it fails with `runpod_rate_limited`).
// Errors are RunPod's problem+json (title, detail, errors) kept as they are, in the message and the details.
// The key is kept in memory only and never written into a message.
class RunPodClient : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxRetries = 3;
    static constexpr int kMaxRetryWaitS = 60;
    static constexpr int kTimeoutMs = 30000;

    // A successful answer: the status and the JSON document (null for 204).
    struct Answer
    {
        int status = 0;
        QJsonDocument json;
    };
    using Done = std::function<void(Result<Answer>)>;

    explicit RunPodClient(QString baseUrl, QObject *parent = nullptr);
    ~RunPodClient() override;

    void setKey(const QString &key) { m_key = key; }
    bool hasKey() const { return !m_key.isEmpty(); }
    QString baseUrl() const { return m_base; }

    // `path` starts with /v2/. `body` is sent as JSON for POST/PUT/PATCH (ignored for GET/DELETE). `key`: use this
    // key instead of the stored one (checking a new key before it is stored).
    void send(const QByteArray &method, const QString &path, const QJsonObject &body, Done done,
              const QString &key = {});

    RunPodRateLimit rateLimit() const;

    // The core error for a RunPod answer that is not 2xx (problem+json kept as is).
    static Error answerError(int status, const QByteArray &body, const QByteArray &method, const QString &path);

private:
    struct Pending
    {
        QByteArray method;
        QString path;
        QByteArray body;
        QString key;
        Done done;
        int attempts = 0;
    };
    void enqueue(std::shared_ptr<Pending> request);
    void flush();
    void transmit(std::shared_ptr<Pending> request);
    void readRateLimit(QNetworkReply *reply);
    void hold(int seconds);

    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_holdTimer = nullptr;
    QString m_base;
    QString m_key;
    QList<std::shared_ptr<Pending>> m_queue; // held back by a rate limit
    QList<QPointer<QNetworkReply>> m_inFlight;
    mutable QMutex m_mutex; // m_rate (read from other threads)
    RunPodRateLimit m_rate;
};

} // namespace gpudeck
