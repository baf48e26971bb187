// The OpenAI-compatible proxy: /v1/models from the catalog; completions and embeddings forwarded to the host
// serving the requested model, streamed responses passed through chunk by chunk as they arrive.
#include "api/ApiContext.h"
#include "api/Controllers.h"
#include "api/ProxyAdmission.h"
#include "api/ResponseStream.h"
#include "api/Router.h"
#include "models/ModelService.h"
#include "models/ModelsLogging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>

namespace gpudeck {
namespace {

// Lives on the API thread (a child of the HTTP server), with one network access manager whose keep-alive
// connections to the model servers are reused across requests.
class OpenAiProxy : public QObject
{
public:
    OpenAiProxy(ModelService &models, QObject *parent)
        : QObject(parent)
        , m_models(models)
        , m_nam(new QNetworkAccessManager(this))
        , m_admission(new ProxyAdmission(models, this))
    {
    }

    void forward(const ApiRequest &req, const std::shared_ptr<ResponseStream> &stream)
    {
        const QJsonValue modelValue = req.json.value(QStringLiteral("model"));
        if (!modelValue.isString() || modelValue.toString().isEmpty()) {
            stream->respond(ApiResponse::error(400, QStringLiteral("validation_failed"),
                                               QStringLiteral("'model' is required (GET /v1/models lists the choices)"),
                                               QStringLiteral("model")));
            return;
        }
        // Admission (on-demand start, max_concurrency, stats): ProxyAdmission; the forwarding below is unchanged.
        m_admission->admit(req, stream,
                           [this, req, stream](const Admission &admission) { send(req, stream, admission); });
    }

    void send(const ApiRequest &req, const std::shared_ptr<ResponseStream> &stream, const Admission &admission)
    {
        const ProxyRoute *route = &admission.route;
        const std::shared_ptr<ProxyTicket> ticket = admission.ticket;
        QByteArray body = req.body;
        if (route->renamed) { // only then is the body re-serialised: the upstream knows the id, not the alias
            QJsonObject json = req.json;
            json.insert(QStringLiteral("model"), route->model);
            body = QJsonDocument(json).toJson(QJsonDocument::Compact);
        }
        const bool streaming = req.json.value(QStringLiteral("stream")).toBool(false);
        QNetworkRequest request(
            QUrl(QStringLiteral("http://%1:%2%3").arg(route->address).arg(route->port).arg(req.path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        if (streaming) {
            request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("text/event-stream"));
        }
        QNetworkReply *reply = m_nam->post(request, body);
        auto begun = std::make_shared<bool>(admission.streamBegun);
        if (streaming) {
            // Only for streams: a generation can run for minutes, and a client that leaves should stop it upstream.
            // (A short answer is not worth a watcher on the connection for every request it carries.)
            QPointer<QNetworkReply> guard(reply);
            stream->onClosed([guard] {
                if (guard) {
                    guard->abort();
                }
            });
            connect(reply, &QNetworkReply::readyRead, this, [reply, stream, begun, ticket] {
                if (!*begun) {
                    *begun = true;
                    const QByteArray type = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
                    stream->begin(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                                  type.isEmpty() ? QByteArrayLiteral("text/event-stream") : type);
                }
                const QByteArray data = reply->readAll();
                ticket->chunk(data);
                stream->write(data);
            });
        }
        const ProxyRoute target = *route;
        ModelService *models = &m_models;
        connect(reply, &QNetworkReply::finished, this, [reply, stream, begun, target, models, ticket] {
            reply->deleteLater();
            const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
            ticket->finish(status.isValid() ? status.toInt() : 0);
            if (*begun) {
                if (reply->isOpen()) { // not when aborted because the client left
                    const QByteArray data = reply->readAll();
                    ticket->chunk(data);
                    stream->write(data);
                }
                stream->end();
                return;
            }
            if (status.isValid()) {
                ApiResponse r;
                r.status = status.toInt();
                r.body = reply->readAll();
                ticket->chunk(r.body);
                r.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
                stream->respond(r);
                return;
            }
            if (reply->error() == QNetworkReply::OperationCanceledError && !stream->isOpen()) {
                return; // we aborted it: the client is gone
            }
            if (reply->error() == QNetworkReply::ConnectionRefusedError) {
                models->refresh(target.host); // what we believed is out of date
                stream->respond(ApiResponse::fromError(
                    Error::make(ErrorCode::Unavailable, QStringLiteral("model_not_up"),
                                QStringLiteral("%1 is not being served: nothing listens on %2:%3 (%4)")
                                    .arg(target.model, target.host)
                                    .arg(target.port)
                                    .arg(reply->errorString()),
                                {{QStringLiteral("host"), target.host}})));
                return;
            }
            stream->respond(ApiResponse::fromError(
                Error::make(ErrorCode::Upstream, QStringLiteral("upstream_failed"),
                            QStringLiteral("%1 on %2: %3").arg(target.model, target.host, reply->errorString()))));
        });
    }

private:
    ModelService &m_models;
    QNetworkAccessManager *m_nam;
    ProxyAdmission *m_admission;
};

} // namespace

void registerProxyRoutes(Router &router, ApiContext &ctx)
{
    router.add("GET", QStringLiteral("/v1/models"), [&ctx](const ApiRequest &) {
        const ModelCatalog catalog = ctx.models.catalog();
        const qint64 created = catalog.loadedAt.isValid() ? catalog.loadedAt.toSecsSinceEpoch() : 0;
        QJsonArray data;
        for (const HostCatalog &h : catalog.hosts) {
            const HostServing serving = ctx.models.serving(h.host);
            for (const ModelSpec &m : h.models) {
                const bool up = serving.health == Health::Up && serving.model == m.id && serving.swapId.isEmpty();
                data.append(QJsonObject{{QStringLiteral("id"), m.id},
                                        {QStringLiteral("object"), QStringLiteral("model")},
                                        {QStringLiteral("created"), created},
                                        {QStringLiteral("owned_by"), h.host},
                                        {QStringLiteral("display_name"), m.displayName},
                                        {QStringLiteral("aliases"), QJsonArray::fromStringList(m.aliases)},
                                        {QStringLiteral("host"), h.host},
                                        {QStringLiteral("serving"), up}});
            }
        }
        return ApiResponse::json(
            QJsonObject{{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}});
    });

    // Created on the API thread at the first request, owned by the HTTP server (so it dies on that thread too).
    auto proxy = std::make_shared<QPointer<OpenAiProxy>>();
    auto forward = [&ctx, proxy](const ApiRequest &req, std::shared_ptr<ResponseStream> stream) {
        if (!*proxy) {
            *proxy = new OpenAiProxy(ctx.models, req.context);
        }
        (*proxy)->forward(req, stream);
    };
    router.addStream("POST", QStringLiteral("/v1/chat/completions"), forward);
    router.addStream("POST", QStringLiteral("/v1/completions"), forward);
    router.addStream("POST", QStringLiteral("/v1/embeddings"), forward);
}

} // namespace gpudeck
