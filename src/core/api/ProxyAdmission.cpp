#include "api/ProxyAdmission.h"

#include "api/ResponseStream.h"
#include "models/ModelsLogging.h"

#include <QFuture>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

namespace gpudeck {

int ProxyAdmission::keepAliveMs = 5000;

ProxyTicket::ProxyTicket(ModelService &models, QString model)
    : m_models(models)
    , m_model(std::move(model))
{
    m_timer.start();
}

ProxyTicket::~ProxyTicket()
{
    const TokenUsage usage = ModelStats::findUsage(m_tail).value_or(TokenUsage{});
    m_models.release(m_model, m_timer.elapsed(), m_status == 0 || m_status >= 400, usage);
}

void ProxyTicket::chunk(const QByteArray &data)
{
    constexpr qsizetype kKept = 16 * 1024; // `usage` is at the end of an answer, in a stream's last chunk
    m_tail += data;
    if (m_tail.size() > 2 * kKept) {
        m_tail = m_tail.right(kKept);
    }
}

void ProxyTicket::finish(int status)
{
    m_status = status;
}

struct ProxyAdmission::Wait
{
    QString model;
    bool streaming = false;
    std::shared_ptr<ResponseStream> stream;
    std::function<void(const Admission &)> go;
    std::function<void()> refused;
    bool begun = false;
    int rounds = 0;
    QPointer<QTimer> keepAlive;

    void stopKeepAlive()
    {
        if (keepAlive) {
            keepAlive->deleteLater();
            keepAlive = nullptr;
        }
    }
};

ProxyAdmission::ProxyAdmission(ModelService &models, QObject *parent)
    : QObject(parent)
    , m_models(models)
{
}

void ProxyAdmission::admit(const QString &model, bool streaming, const std::shared_ptr<ResponseStream> &stream,
                           std::function<void(const Admission &)> go, std::function<void()> refused)
{
    auto wait = std::make_shared<Wait>();
    wait->model = model;
    wait->streaming = streaming;
    wait->stream = stream;
    wait->go = std::move(go);
    wait->refused = std::move(refused);
    attempt(wait);
}

void ProxyAdmission::attempt(const std::shared_ptr<Wait> &wait)
{
    const auto route = m_models.acquire(wait->model);
    if (route.ok()) {
        wait->stopKeepAlive();
        wait->go(Admission{route.value(), wait->begun, std::make_shared<ProxyTicket>(m_models, route->model)});
        return;
    }
    const auto spec = m_models.spec(wait->model);
    // A few rounds at most: the host may be swapping to another model first, then ours starts.
    if (route.error().reason != QLatin1String("model_not_up") || !spec || !spec->onDemand || wait->rounds >= 3) {
        refuse(wait, route.error());
        return;
    }
    ++wait->rounds;
    const auto swapId = m_models.startOnDemand(wait->model);
    if (!swapId.ok()) {
        refuse(wait, swapId.error());
        return;
    }
    const QString waitingFor = QStringLiteral("waiting for %1 to start on %2 (%3)").arg(spec->id, spec->host, *swapId);
    if (wait->streaming && !wait->begun) {
        wait->begun = true;
        wait->stream->begin(200, QByteArrayLiteral("text/event-stream"),
                            {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache")}});
        wait->stream->write(": " + waitingFor.toUtf8() + "\n\n");
        auto *timer = new QTimer(this);
        timer->setInterval(keepAliveMs);
        const std::weak_ptr<ResponseStream> weakStream = wait->stream;
        connect(timer, &QTimer::timeout, timer, [weakStream, waitingFor] {
            if (const auto s = weakStream.lock()) {
                s->write(": " + waitingFor.toUtf8() + "\n\n");
            }
        });
        timer->start();
        wait->keepAlive = timer;
        wait->stream->onClosed([weak = std::weak_ptr<Wait>(wait)] { // weak: the stream must not own its waiter
            if (const auto w = weak.lock()) {
                w->stopKeepAlive();
            }
        });
    }
    QPointer<ProxyAdmission> self(this);
    const QString id = spec->id;
    m_models.whenSwapFinished(*swapId).then(this, [self, wait, id](QFuture<SwapReport> finished) {
        if (!self || !wait->stream->isOpen()) {
            wait->stopKeepAlive();
            return; // the client left (the swap goes on)
        }
        if (finished.resultCount() == 0) {
            self->refuse(wait, Error::make(ErrorCode::Unavailable, QStringLiteral("unavailable"),
                                           QStringLiteral("model serving stopped while %1 was starting").arg(id)));
            return;
        }
        const SwapReport report = finished.result();
        if (report.model == id && report.state != SwapState::Succeeded) {
            self->refuse(wait,
                         Error::make(ErrorCode::Unavailable, QStringLiteral("model_not_up"),
                                     QStringLiteral("%1 was started on demand and did not come up (%2, at %3: %4)%5")
                                         .arg(id, report.id, report.errorStep, report.error,
                                              report.restored.value_or(false)
                                                  ? QStringLiteral("; %1 was restored").arg(report.previous)
                                                  : QString()),
                                     {{QStringLiteral("host"), report.host}, {QStringLiteral("swap_id"), report.id}}));
            return;
        }
        self->attempt(wait); // up now; or another model's swap ended, and ours starts next
    });
}

void ProxyAdmission::refuse(const std::shared_ptr<Wait> &wait, const Error &error)
{
    wait->stopKeepAlive();
    if (wait->refused) {
        wait->refused();
    }
    ApiResponse response = ApiResponse::fromError(error);
    if (error.reason == QLatin1String("too_many_requests")) {
        response.status = 429;
        response.headers.append({QByteArrayLiteral("Retry-After"),
                                 QByteArray::number(error.details.value(QStringLiteral("retry_after_s")).toInt(1))});
    }
    if (!wait->begun) {
        wait->stream->respond(response);
        return;
    }
    // The 200 went out with the keep-alive comments: the error is the stream's one event, as OpenAI servers send it.
    wait->stream->write(ResponseStream::sseEvent(response.body.trimmed()));
    wait->stream->end();
}

} // namespace gpudeck
