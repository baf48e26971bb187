#include "runpod/RunPodClient.h"

#include "runpod/RunPodLogging.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>
#include <QUrl>

namespace gpudeck {

RunPodClient::RunPodClient(QString baseUrl, QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_holdTimer(new QTimer(this))
    , m_base(std::move(baseUrl))
{
    while (m_base.endsWith(QLatin1Char('/'))) {
        m_base.chop(1);
    }
    m_holdTimer->setSingleShot(true);
    m_holdTimer->setTimerType(Qt::PreciseTimer);
    connect(m_holdTimer, &QTimer::timeout, this, &RunPodClient::flush);
}

RunPodClient::~RunPodClient()
{
    for (const QPointer<QNetworkReply> &reply : std::as_const(m_inFlight)) {
        if (reply) {
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
        }
    }
    const auto queued = std::move(m_queue);
    for (const auto &p : queued) {
        p->done(Error::make(ErrorCode::Cancelled, QStringLiteral("cancelled"),
                            QStringLiteral("RunPod support stopped before the request was sent")));
    }
}

RunPodRateLimit RunPodClient::rateLimit() const
{
    QMutexLocker lock(&m_mutex);
    return m_rate;
}

void RunPodClient::send(const QByteArray &method, const QString &path, const QJsonObject &body, Done done,
                        const QString &key)
{
    auto p = std::make_shared<Pending>();
    p->method = method;
    p->path = path;
    if (method != QByteArrayLiteral("GET") && method != QByteArrayLiteral("DELETE")) {
        p->body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    p->key = key;
    p->done = std::move(done);
    enqueue(std::move(p));
}

void RunPodClient::enqueue(std::shared_ptr<Pending> request)
{
    QDateTime heldUntil;
    {
        QMutexLocker lock(&m_mutex);
        heldUntil = m_rate.heldUntil;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (heldUntil.isValid() && now < heldUntil) {
        const qint64 waitS = (now.msecsTo(heldUntil) + 999) / 1000;
        if (waitS > kMaxRetryWaitS) {
            // Longer than anyone should wait for an answer: say so now rather than hold the caller.
            request->done(Error::make(ErrorCode::Unavailable, QStringLiteral("runpod_rate_limited"),
                                      QStringLiteral("RunPod's rate limit holds requests for %1 s more (its "
                                                     "Retry-After); %2 %3 was not sent")
                                          .arg(waitS)
                                          .arg(QString::fromLatin1(request->method), request->path),
                                      QJsonObject{{QStringLiteral("retry_after_s"), int(waitS)}}));
            return;
        }
        m_queue.append(std::move(request));
        if (!m_holdTimer->isActive()) {
            m_holdTimer->start(int(qMax<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(heldUntil))));
        }
        return;
    }
    transmit(std::move(request));
}

void RunPodClient::flush()
{
    const auto queued = std::move(m_queue);
    m_queue.clear();
    {
        QMutexLocker lock(&m_mutex);
        m_rate.heldUntil = QDateTime();
    }
    for (const auto &p : queued) {
        enqueue(p);
    }
}

void RunPodClient::hold(int seconds)
{
    QMutexLocker lock(&m_mutex);
    const QDateTime until = QDateTime::currentDateTimeUtc().addMSecs(qint64(seconds) * 1000);
    if (!m_rate.heldUntil.isValid() || m_rate.heldUntil < until) {
        m_rate.heldUntil = until;
    }
}

void RunPodClient::readRateLimit(QNetworkReply *reply)
{
    const QByteArray header = reply->rawHeader(QByteArrayLiteral("RateLimit"));
    if (header.isEmpty()) {
        return;
    }
    // "minute";r=0;t=12, "hour";r=2800;t=1812, "day";r=49500;t=45012
    static const QRegularExpression member(QStringLiteral("\"?([a-z]+)\"?\\s*;\\s*r=(\\d+)\\s*;\\s*t=(\\d+)"));
    int remaining = -1;
    int reset = -1;
    QString window;
    int holdS = 0;
    for (const QString &part : QString::fromLatin1(header).split(QLatin1Char(','))) {
        const auto m = member.match(part.trimmed());
        if (!m.hasMatch()) {
            continue;
        }
        const int r = m.captured(2).toInt();
        const int t = m.captured(3).toInt();
        if (remaining < 0 || r < remaining) {
            remaining = r;
            reset = t;
            window = m.captured(1);
        }
        if (r == 0) {
            holdS = qMax(holdS, t);
        }
    }
    {
        QMutexLocker lock(&m_mutex);
        m_rate.remaining = remaining;
        m_rate.resetS = reset;
        m_rate.window = window;
    }
    if (holdS > 0) {
        qCInfo(lcRunPod).noquote() << QStringLiteral("RunPod's %1 request window is used up: holding requests for %2 s")
                                          .arg(window)
                                          .arg(holdS);
        hold(holdS);
    }
}

void RunPodClient::transmit(std::shared_ptr<Pending> p)
{
    const QString key = p->key.isEmpty() ? m_key : p->key;
    if (key.isEmpty()) {
        p->done(Error::make(ErrorCode::Conflict, QStringLiteral("runpod_key_missing"),
                            QStringLiteral("no RunPod API key: set one (PUT /api/runpod/credentials, or the Pods "
                                           "section's API key dialog) or start GPU Deck with RUNPOD_API_KEY")));
        return;
    }
    ++p->attempts;
    QNetworkRequest request(QUrl(m_base + p->path));
    request.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + key.toUtf8());
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json, application/problem+json"));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(kTimeoutMs);
    QNetworkReply *reply = nullptr;
    if (p->method == QByteArrayLiteral("GET")) {
        reply = m_network->get(request);
    } else {
        if (!p->body.isEmpty()) {
            request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        }
        reply = m_network->sendCustomRequest(request, p->method, p->body);
    }
    m_inFlight.append(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply, p] {
        m_inFlight.removeAll(reply);
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        readRateLimit(reply);
        if (status == 0) {
            const bool timeout = reply->error() == QNetworkReply::OperationCanceledError ||
                                 reply->error() == QNetworkReply::TimeoutError;
            p->done(Error::make(
                timeout ? ErrorCode::Timeout : ErrorCode::Upstream,
                timeout ? QStringLiteral("runpod_timeout") : QStringLiteral("runpod_unreachable"),
                timeout ? QStringLiteral("RunPod did not answer %1 %2 within %3 s")
                              .arg(QString::fromLatin1(p->method), p->path)
                              .arg(kTimeoutMs / 1000)
                        : QStringLiteral("cannot reach RunPod at %1: %2").arg(m_base, reply->errorString())));
            return;
        }
        if (status == 429) {
            bool ok = false;
            int wait = reply->rawHeader(QByteArrayLiteral("Retry-After")).trimmed().toInt(&ok);
            if (!ok || wait < 0) {
                wait = 1;
            }
            {
                QMutexLocker lock(&m_mutex);
                ++m_rate.retried;
            }
            hold(wait);
            if (p->attempts <= kMaxRetries && wait <= kMaxRetryWaitS) {
                qCInfo(lcRunPod).noquote() << QStringLiteral("RunPod answered 429 to %1 %2: retrying in %3 s")
                                                  .arg(QString::fromLatin1(p->method), p->path)
                                                  .arg(wait);
                enqueue(p);
                return;
            }
            Error e = answerError(status, body, p->method, p->path);
            e.details.insert(QStringLiteral("retry_after_s"), wait);
            p->done(e);
            return;
        }
        if (status < 200 || status >= 300) {
            p->done(answerError(status, body, p->method, p->path));
            return;
        }
        Answer answer;
        answer.status = status;
        if (!body.trimmed().isEmpty()) {
            QJsonParseError parseError;
            answer.json = QJsonDocument::fromJson(body, &parseError);
            if (parseError.error != QJsonParseError::NoError) {
                p->done(Error::make(ErrorCode::Upstream, QStringLiteral("runpod_bad_answer"),
                                    QStringLiteral("RunPod answered %1 %2 with something that is not JSON")
                                        .arg(QString::fromLatin1(p->method), p->path)));
                return;
            }
        }
        p->done(answer);
    });
}

Error RunPodClient::answerError(int status, const QByteArray &body, const QByteArray &method, const QString &path)
{
    const QJsonObject problem = QJsonDocument::fromJson(body).object();
    const QString title = problem.value(QStringLiteral("title")).toString();
    const QString detail = problem.value(QStringLiteral("detail")).toString();
    QStringList errors;
    for (const QJsonValue &e : problem.value(QStringLiteral("errors")).toArray()) {
        errors << e.toString();
    }
    QString message =
        QStringLiteral("RunPod answered %1 %2 to %3 %4")
            .arg(status)
            .arg(title.isEmpty() ? QStringLiteral("(no title)") : title, QString::fromLatin1(method), path);
    if (!detail.isEmpty()) {
        message += QStringLiteral(": ") + detail;
    }
    if (!errors.isEmpty()) {
        message += QStringLiteral(" (") + errors.join(QStringLiteral("; ")) + QLatin1Char(')');
    }
    QJsonObject details{{QStringLiteral("runpod_status"), status}};
    if (!title.isEmpty()) {
        details.insert(QStringLiteral("runpod_title"), title);
    }
    if (!detail.isEmpty()) {
        details.insert(QStringLiteral("runpod_detail"), detail);
    }
    if (!errors.isEmpty()) {
        details.insert(QStringLiteral("runpod_errors"), QJsonArray::fromStringList(errors));
    }
    switch (status) {
    case 400:
    case 422:
        return Error::make(ErrorCode::Validation, QStringLiteral("runpod_rejected"), message, details);
    case 401:
        return Error::make(ErrorCode::Upstream, QStringLiteral("runpod_unauthorized"),
                           message + QStringLiteral(" — RunPod refused the API key: set a valid one"), details);
    case 402:
        return Error::make(ErrorCode::Conflict, QStringLiteral("runpod_insufficient_balance"), message, details);
    case 403:
        return Error::make(ErrorCode::Upstream, QStringLiteral("runpod_forbidden"), message, details);
    case 404:
        return Error::make(ErrorCode::NotFound, QStringLiteral("runpod_not_found"), message, details);
    case 409:
        return Error::make(ErrorCode::Conflict, QStringLiteral("runpod_conflict"), message, details);
    case 429:
        return Error::make(ErrorCode::Unavailable, QStringLiteral("runpod_rate_limited"), message, details);
    default:
        break;
    }
    return Error::make(ErrorCode::Upstream, QStringLiteral("runpod_error"), message, details);
}

} // namespace gpudeck
